#ifndef CEPOLL_SHIM_H
#define CEPOLL_SHIM_H
/* Linux epoll, which Swift's Glibc module leaves out (see ConnectionWaiter). */
#include <sys/epoll.h>
#endif
