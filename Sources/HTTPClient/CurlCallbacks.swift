import CCurl
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The C callbacks installed on every easy handle. They capture nothing (a C function
/// pointer cannot); all state arrives through the `TransferContext` pointer.
enum CurlCallbacks {
    /// CURLOPT_WRITEFUNCTION: returning anything but `size * count` aborts the transfer,
    /// which is how the response-size cap stops a large body mid-stream.
    static let write: ccurl_write_callback = { data, size, count, context in
        guard let context else { return 0 }
        let length = size * count
        let chunk = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : length)
        return TransferContext.from(context).appendBody(chunk) ? length : 0
    }

    /// CURLOPT_HEADERFUNCTION: one complete header line per call.
    static let header: ccurl_write_callback = { data, size, count, context in
        guard let context else { return 0 }
        let length = size * count
        TransferContext.from(context).consumeHeaderLine(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : length))
        return length
    }

    /// CURLOPT_OPENSOCKETFUNCTION: runs after DNS resolution for each address curl is about
    /// to connect to, so the SSRF guard judges the real peer (DNS rebinding cannot swap it
    /// afterwards). Refusing means returning CURL_SOCKET_BAD instead of a socket.
    static let openSocket: ccurl_opensocket_callback = { context, _, address in
        guard let context, let address else { return ccurl_socket_bad() }
        let transfer = TransferContext.from(context)
        if transfer.blockPrivateAddresses,
           let refused = AddressPolicy.refusal(family: address.pointee.family, address: ccurl_sockaddr_bytes(address)) {
            transfer.refusedAddress = refused
            return ccurl_socket_bad()
        }
        // Same socket curl would open itself, plus close-on-exec so it never leaks into
        // child processes.
        #if os(Linux)
        let socketType = address.pointee.socktype | Int32(bitPattern: SOCK_CLOEXEC.rawValue)
        #else
        let socketType = address.pointee.socktype
        #endif
        return socket(address.pointee.family, socketType, address.pointee.protocol)
    }
}
