import CFastCGI
import Configuration
import Foundation

/// Where requests come from, chosen in the order the deployment forms hand us a socket.
enum ListenSocket {
    /// `ownedPath`: a unix socket file this process created, removed again at a clean exit.
    case socket(descriptor: Int32, origin: String, ownedPath: String?)
    case cgi
    case failed(String)

    static func acquire(configuration: Configuration) -> ListenSocket {
        if let descriptor = systemdSocket() {
            return prepared(descriptor, origin: "systemd socket activation", ownedPath: nil)
        }
        if isListeningSocket(0) {
            // spawn-fcgi, mod_fcgid and systemd's StandardInput=socket pass the socket as fd 0.
            return prepared(0, origin: "inherited socket on fd 0", ownedPath: nil)
        }
        if let address = configuration.fcgiListen {
            return open(address)
        }
        return .cgi
    }

    /// systemd socket activation (sd_listen_fds(3)): fds start at 3 when LISTEN_PID is us.
    private static func systemdSocket() -> Int32? {
        let environment = ProcessInfo.processInfo.environment
        guard let pid = environment["LISTEN_PID"].flatMap(Int32.init), pid == getpid(),
              let count = environment["LISTEN_FDS"].flatMap(Int.init), count >= 1
        else { return nil }
        // Children we might start must not think the sockets are theirs.
        unsetenv("LISTEN_PID")
        unsetenv("LISTEN_FDS")
        unsetenv("LISTEN_FDNAMES")
        return 3
    }

    private static func isListeningSocket(_ descriptor: Int32) -> Bool {
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFSOCK else { return false }
        var accepting: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length) == 0 else { return false }
        return accepting != 0
    }

    private static func open(_ address: String) -> ListenSocket {
        guard address.hasPrefix("/") else {
            let descriptor = FCGX_OpenSocket(address, 128)
            guard descriptor >= 0 else { return failure(address) }
            return prepared(descriptor, origin: address, ownedPath: nil)
        }
        // A socket file left by a process that died is replaced; anything that is not a socket
        // is left alone, so a typo cannot delete a real file.
        var info = stat()
        if lstat(address, &info) == 0, (info.st_mode & S_IFMT) != S_IFSOCK {
            return .failed("FCGI_LISTEN: \(address) exists and is not a socket")
        }
        // Bound and given its mode under a temporary name, then renamed into place: the web
        // server never finds the path before it accepts connections, or with the wrong mode.
        let temporary = address + ".\(getpid()).new"
        let pathLimit = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1
        guard temporary.utf8.count <= pathLimit else {
            return .failed("FCGI_LISTEN: \(address) is too long for a unix socket path "
                           + "(at most \(pathLimit - (temporary.utf8.count - address.utf8.count)) bytes)")
        }
        unlink(temporary)
        let descriptor = FCGX_OpenSocket(temporary, 128)
        guard descriptor >= 0 else { return failure(address) }
        // The web server (often another user in the same group) must be able to connect.
        guard chmod(temporary, 0o660) == 0, rename(temporary, address) == 0 else {
            let reason = failure(address)
            close(descriptor)
            unlink(temporary)
            return reason
        }
        return prepared(descriptor, origin: address, ownedPath: address)
    }

    private static func failure(_ address: String) -> ListenSocket {
        .failed("FCGI_LISTEN: cannot listen on \(address): \(String(cString: strerror(errno)))")
    }

    /// Workers wait in epoll and then accept; a non-blocking socket means the threads that lose
    /// the race for a connection get EAGAIN and go back to waiting, where shutdown can reach them.
    private static func prepared(_ descriptor: Int32, origin: String, ownedPath: String?) -> ListenSocket {
        let flags = fcntl(descriptor, F_GETFL)
        guard flags >= 0, fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) == 0 else {
            return .failed("cannot configure the listen socket (\(origin)): \(String(cString: strerror(errno)))")
        }
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        return .socket(descriptor: descriptor, origin: origin, ownedPath: ownedPath)
    }
}
