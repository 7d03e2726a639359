#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/rand.h>
#include <openssl/err.h>
#include <openssl/ecdsa.h>
#include <openssl/ec.h>
#include <openssl/rsa.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/decoder.h>
#include <openssl/hmac.h>
#include <openssl/crypto.h>
#include <openssl/obj_mac.h>

/*
 * EVP_PKEY_PUBLIC_KEY and EVP_PKEY_KEYPAIR are macros built from other macros
 * with '|', which the Swift importer skips; expose them as functions instead.
 */
static inline int copenssl_selection_public_key(void) { return EVP_PKEY_PUBLIC_KEY; }
static inline int copenssl_selection_keypair(void) { return EVP_PKEY_KEYPAIR; }

#endif
