import Foundation
import WebRules

extension Configuration {
    /// Reads and validates every setting from `environment` (the process environment merged over
    /// the `.env` file). Throws the first problem found, naming its variable.
    public static func load(from environment: [String: String]) throws(ConfigurationError) -> Configuration {
        let reader = EnvironmentReader(environment)

        let environmentName = try reader.choice(["NODE_ENV", "APP_ENV"], allowed: Environment.self, default: .development)
        let baseURL = try reader.baseURL("SERVER_BASE_URL", default: defaultBaseURL)
        let storage = try reader.choice(["AUTH_STORAGE_DRIVER"], allowed: StorageDriver.self, default: .memory)
        let backendURL = try reader.httpURL("BACKEND_API_URL")
        let protocolURL = try reader.httpURL("PROTOCOL_API_URL")  // the original system's name
        let backendTimeout = try reader.backendTimeout()

        var configuration = Configuration(
            serverBaseURL: baseURL,
            port: try reader.integer("PORT", in: 1...65535, default: 3002),
            environment: environmentName,
            storageDriver: storage,
            databaseURL: try reader.databaseURL("DATABASE_URL"),
            privyAppID: reader.string("PRIVY_APP_ID") ?? reader.string("VITE_PRIVY_APP_ID"),
            privyAppSecret: reader.string("PRIVY_APP_SECRET"),
            privyVerificationKeyPEM: try reader.pem("PRIVY_VERIFICATION_KEY", kind: "PUBLIC KEY"),
            privyJWKSURL: try reader.httpsURL("PRIVY_JWKS_URL"),
            // The app secret travels in every request to it: https only, as for the keys.
            privyAPIURL: try reader.httpsURL("PRIVY_API_URL"),
            privySDKURL: try reader.moduleURL("PRIVY_SDK_URL") ?? defaultPrivySDKURL,
            privySDKIntegrity: try reader.integrity("PRIVY_SDK_INTEGRITY"),
            jwtPrivateKeyPEM: try reader.pem("JWT_PRIVATE_KEY", kind: "PRIVATE KEY"),
            jwtPublicKeyPEM: try reader.pem("JWT_PUBLIC_KEY", kind: "PUBLIC KEY"),
            jwtPreviousPublicKeyPEMs: try reader.pemList("JWT_PREVIOUS_PUBLIC_KEYS", kind: "PUBLIC KEY"),
            tokenEncryptionKey: try reader.key32("TOKEN_ENCRYPTION_KEY"),
            backendAPIURL: backendURL ?? protocolURL,
            backendTimeoutSeconds: backendTimeout,
            // Unset, the connect limit is 5 s or the total, whichever is smaller.
            backendConnectTimeoutSeconds: try reader.seconds("BACKEND_CONNECT_TIMEOUT_SECONDS", in: 0.1...300,
                                                             default: min(defaultBackendConnectTimeoutSeconds, backendTimeout)),
            backendMaxResponseBytes: try reader.integer("BACKEND_MAX_RESPONSE_BYTES", in: 1024...(16 << 20),
                                                        default: defaultBackendMaxResponseBytes),
            mcpMaxBatch: try reader.integer("MCP_MAX_BATCH", in: 1...100, default: 10),
            mcpCallsPerUserPerMinute: try reader.integer("MCP_CALLS_PER_USER_PER_MINUTE", in: 0...1_000_000,
                                                         default: defaultMCPCallsPerUserPerMinute),
            backendCallsPerUserPerMinute: try reader.integer("BACKEND_CALLS_PER_USER_PER_MINUTE", in: 0...1_000_000,
                                                             default: defaultBackendCallsPerUserPerMinute),
            refreshReuseInterval: try reader.seconds("REFRESH_REUSE_INTERVAL", in: 0...60, default: 5),
            clientIdleDays: try reader.integer("CLIENT_IDLE_DAYS", in: 1...3650, default: 90),
            privyExchangeClients: Set(reader.list("PRIVY_EXCHANGE_CLIENTS")),
            fcgiListen: try reader.listenAddress("FCGI_LISTEN"),
            fcgiThreads: try reader.integer("FCGI_THREADS", in: 1...256, default: defaultThreads),
            publicDirectory: reader.string("PUBLIC_DIR") ?? "public",
            widgetsDirectory: reader.string("WIDGETS_DIR") ?? "widgets-dist",
            appManifestPath: reader.string("APP_MANIFEST") ?? defaultAppManifestPath,
            manifestVariables: environment,
            maxBodyBytes: try reader.integer("MAX_BODY_BYTES", in: 1024...(64 << 20), default: defaultMaxBodyBytes)
        )
        try configuration.checkCombinations()
        if configuration.isProduction, let port = reader.string("PORT") {
            // The original system's Express server listened on PORT; here nginx takes the
            // public port and FCGIApp a FastCGI socket.
            configuration.startupWarnings.append("PORT=\(port) is not used in production: nginx listens for clients and "
                                                + "FCGIApp on its FastCGI socket (FCGI_LISTEN or systemd); see docs/MIGRATING.md")
        }
        if configuration.isProduction, configuration.privyAppID != nil, configuration.privySDKURL == defaultPrivySDKURL {
            // nginx/production.conf allows one SDK module, and esm.sh's entry module imports
            // the package's build and its dependencies from further paths on that CDN.
            configuration.startupWarnings.append("PRIVY_SDK_URL is esm.sh's entry module, which imports further files that the production "
                                                 + "site's Content-Security-Policy does not allow: serve the SDK from public/ "
                                                 + "(docs/DEPLOYMENT.md, \"Self-hosting the Privy SDK\")")
        }
        return configuration
    }

    /// Rules that involve more than one variable.
    private mutating func checkCombinations() throws(ConfigurationError) {
        if (jwtPrivateKeyPEM == nil) != (jwtPublicKeyPEM == nil) {
            throw ConfigurationError(jwtPrivateKeyPEM == nil ? "JWT_PRIVATE_KEY" : "JWT_PUBLIC_KEY",
                                     "set both JWT_PRIVATE_KEY and JWT_PUBLIC_KEY, or neither")
        }
        if storageDriver == .postgres && databaseURL == nil {
            throw ConfigurationError("DATABASE_URL", "required when AUTH_STORAGE_DRIVER=postgres")
        }
        if backendConnectTimeoutSeconds > backendTimeoutSeconds {
            throw ConfigurationError("BACKEND_CONNECT_TIMEOUT_SECONDS",
                                     "must not exceed BACKEND_TIMEOUT_SECONDS (the connect time counts toward the total)")
        }
        if privyAppSecret != nil && privyAppID == nil {
            throw ConfigurationError("PRIVY_APP_ID", "required when PRIVY_APP_SECRET is set")
        }
        guard isProduction else {
            if privyAppID == nil && !baseURLIsLoopback {
                throw ConfigurationError("PRIVY_APP_ID", "required unless SERVER_BASE_URL is a loopback URL (the development login only serves this machine)")
            }
            return
        }
        if privyAppID == nil {
            throw ConfigurationError("PRIVY_APP_ID", "required in production (the development login is for local use only)")
        }
        if jwtPrivateKeyPEM == nil {
            throw ConfigurationError("JWT_PRIVATE_KEY", "required in production, with JWT_PUBLIC_KEY (base64 of PEM)")
        }
        if storageDriver == .postgres && tokenEncryptionKey == nil {
            throw ConfigurationError("TOKEN_ENCRYPTION_KEY", "required in production with AUTH_STORAGE_DRIVER=postgres (32 bytes, base64 or hex)")
        }
        if !serverBaseURL.hasPrefix("https://") && !baseURLIsLoopback {
            throw ConfigurationError("SERVER_BASE_URL", "must be https in production")
        }
    }
}

/// Typed accessors over the raw environment; empty values count as unset.
struct EnvironmentReader {
    private let values: [String: String]

    init(_ values: [String: String]) { self.values = values }

    func string(_ name: String) -> String? {
        guard let value = values[name]?.trimmingSpaces(), !value.isEmpty else { return nil }
        return String(value)
    }

    func list(_ name: String) -> [String] {
        (string(name) ?? "").split(separator: ",").map { String($0.trimmingSpaces()) }.filter { !$0.isEmpty }
    }

    func integer(_ name: String, in range: ClosedRange<Int>, default fallback: Int) throws(ConfigurationError) -> Int {
        guard let text = string(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError(name, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func seconds(_ name: String, in range: ClosedRange<Double>, default fallback: Double) throws(ConfigurationError) -> Double {
        guard let text = string(name) else { return fallback }
        guard let value = Double(text), range.contains(value) else {
            throw ConfigurationError(name, "must be a number of seconds from \(range.lowerBound) to \(Int(range.upperBound))")
        }
        return value
    }

    /// BACKEND_TIMEOUT_SECONDS, or the original system's PROTOCOL_API_TIMEOUT_MS (milliseconds) for
    /// the same limit; both set must agree, so a migrated `.env` never holds a value that is
    /// silently overridden.
    func backendTimeout() throws(ConfigurationError) -> Double {
        let seconds = try self.seconds("BACKEND_TIMEOUT_SECONDS", in: 0.1...300, default: 10)
        guard let text = string("PROTOCOL_API_TIMEOUT_MS") else { return seconds }
        guard let milliseconds = Int(text), (100...300_000).contains(milliseconds) else {
            throw ConfigurationError("PROTOCOL_API_TIMEOUT_MS", "must be a whole number of milliseconds from 100 to 300000")
        }
        let fromMilliseconds = Double(milliseconds) / 1000
        if string("BACKEND_TIMEOUT_SECONDS") != nil && seconds != fromMilliseconds {
            throw ConfigurationError("PROTOCOL_API_TIMEOUT_MS",
                                     "disagrees with BACKEND_TIMEOUT_SECONDS; set only BACKEND_TIMEOUT_SECONDS (seconds)")
        }
        return fromMilliseconds
    }

    func choice<Value: RawRepresentable & CaseIterable>(_ names: [String], allowed: Value.Type, default fallback: Value) throws(ConfigurationError) -> Value where Value.RawValue == String {
        for name in names {
            guard let text = string(name) else { continue }
            guard let value = Value(rawValue: text.lowercased()) else {
                let options = Value.allCases.map(\.rawValue).joined(separator: " or ")
                throw ConfigurationError(name, "must be \(options)")
            }
            return value
        }
        return fallback
    }

    func baseURL(_ name: String, default fallback: String) throws(ConfigurationError) -> String {
        var url = string(name) ?? fallback
        while url.hasSuffix("/") { url.removeLast() }
        guard let parsed = AbsoluteURL(url), parsed.isHTTP, !parsed.hasUserInfo,
              parsed.rest.allSatisfy({ $0 != "?" && $0 != "#" })
        else {
            throw ConfigurationError(name, "must be an http(s) origin such as https://app.example.com, without query or fragment")
        }
        return url
    }

    func httpURL(_ name: String) throws(ConfigurationError) -> String? {
        guard let url = string(name) else { return nil }
        guard let parsed = AbsoluteURL(url), parsed.isHTTP, !parsed.hasUserInfo else {
            throw ConfigurationError(name, "must be an http(s) URL")
        }
        return url
    }

    /// An http(s) URL, or a path on our own origin (`/vendor/sdk.js`, not `//host/...`) for a
    /// module served from `public/`. The value reaches the page and, copied by the operator, the
    /// site's Content-Security-Policy, where a space, quote, `;` or `,` would end a source
    /// expression, a directive or a policy (CSP3 §2.2): a path is printable ASCII without them.
    func moduleURL(_ name: String) throws(ConfigurationError) -> String? {
        guard let url = string(name) else { return nil }
        if url.hasPrefix("/") {
            let allowed = url.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F && !"\\'\";,".unicodeScalars.contains($0) }
            guard !url.hasPrefix("//"), allowed else {
                throw ConfigurationError(name, "must be an http(s) URL or a path on this server such as /vendor/privy.js")
            }
            return url
        }
        guard let parsed = AbsoluteURL(url), parsed.isHTTP, !parsed.hasUserInfo else {
            throw ConfigurationError(name, "must be an http(s) URL or a path on this server such as /vendor/privy.js")
        }
        return url
    }

    /// Subresource Integrity metadata (W3C SRI §3.1): one or more space-separated
    /// `sha256-`, `sha384-` or `sha512-` hashes, each the base64 of a digest of that length
    /// (a browser ignores a hash it cannot parse, so a typo would switch the check off).
    func integrity(_ name: String) throws(ConfigurationError) -> String? {
        guard let value = string(name) else { return nil }
        let digestBytes = ["sha256": 32, "sha384": 48, "sha512": 64]
        for hash in value.split(separator: " ") {
            let parts = hash.split(separator: "-", maxSplits: 1)
            guard parts.count == 2, let length = digestBytes[String(parts[0])],
                  let digest = Data(base64Encoded: String(parts[1])), digest.count == length else {
                throw ConfigurationError(name, "must be sha256-, sha384- or sha512- followed by the base64 of the digest "
                                         + "(openssl dgst -sha384 -binary FILE | openssl base64 -A)")
            }
        }
        return value
    }

    /// An https URL, or http to a loopback host (localhost, 127.0.0.0/8, [::1]): keys fetched
    /// (or a secret sent) in clear over the network could be swapped (or read) by anyone on the
    /// path, so plain http is only allowed where nothing leaves the machine (local test stand-ins).
    func httpsURL(_ name: String) throws(ConfigurationError) -> String? {
        guard let url = string(name) else { return nil }
        guard let parsed = AbsoluteURL(url), parsed.isHTTP, !parsed.hasUserInfo else {
            throw ConfigurationError(name, "must be an https URL")
        }
        guard parsed.scheme == "https" || parsed.isLoopback else {
            throw ConfigurationError(name, "must be an https URL (http is allowed only for localhost, 127.0.0.1 or [::1])")
        }
        return url
    }

    func databaseURL(_ name: String) throws(ConfigurationError) -> String? {
        guard let url = string(name) else { return nil }
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") || url.contains("=") else {
            throw ConfigurationError(name, "must be a postgresql:// URL or a libpq key=value string")
        }
        return url
    }

    /// Accepts PEM text (with real or `\n`-escaped newlines) or base64 of the PEM, as the original system did.
    func pem(_ name: String, kind: String) throws(ConfigurationError) -> String? {
        guard let value = string(name) else { return nil }
        var text = value.replacingOccurrences(of: "\\n", with: "\n")
        if !text.contains("-----BEGIN") {
            guard let data = Data(base64Encoded: text.filter { !$0.isWhitespace }),
                  let decoded = String(data: data, encoding: .utf8), decoded.contains("-----BEGIN")
            else {
                throw ConfigurationError(name, "must be a PEM \(kind) or the base64 of one")
            }
            text = decoded
        }
        guard text.contains("-----END") else { throw ConfigurationError(name, "PEM is truncated") }
        return text
    }

    /// A comma-separated list of PEMs (each base64-encoded, as one line cannot hold raw PEM).
    func pemList(_ name: String, kind: String) throws(ConfigurationError) -> [String] {
        var pems: [String] = []
        for (index, item) in list(name).enumerated() {
            guard let data = Data(base64Encoded: item), let pem = String(data: data, encoding: .utf8),
                  pem.contains("-----BEGIN"), pem.contains("-----END")
            else {
                throw ConfigurationError(name, "entry \(index + 1) is not the base64 of a PEM \(kind)")
            }
            pems.append(pem)
        }
        return pems
    }

    /// 32 bytes given as 64 hex digits or base64 (standard or url-safe).
    func key32(_ name: String) throws(ConfigurationError) -> [UInt8]? {
        guard let text = string(name) else { return nil }
        if text.count == 64, let bytes = hexBytes(text) { return bytes }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64.append("=") }
        if let data = Data(base64Encoded: base64), data.count == 32 { return [UInt8](data) }
        throw ConfigurationError(name, "must be 32 bytes as 64 hex digits or base64 (openssl rand -base64 32)")
    }

    func listenAddress(_ name: String) throws(ConfigurationError) -> String? {
        guard let value = string(name) else { return nil }
        if value.hasPrefix("/") { return value }
        guard let colon = value.lastIndex(of: ":"), let port = Int(value[value.index(after: colon)...]),
              (1...65535).contains(port), !value[..<colon].isEmpty
        else {
            throw ConfigurationError(name, "must be an absolute unix socket path or host:port such as 127.0.0.1:9000")
        }
        return value
    }

    private func hexBytes(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}

