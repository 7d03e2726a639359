import CEpoll
import Foundation

/// One worker's wait for the next connection on the shared listen socket, or for shutdown.
///
/// epoll with `EPOLLEXCLUSIVE` (Linux 4.5+) on the listen socket wakes one idle worker per
/// incoming connection, where `poll` woke every idle worker and all but one then failed to
/// accept (a few percent of a small request's CPU with eight workers). The wake pipe is
/// registered without it, so shutdown still wakes every worker.
final class ConnectionWaiter {
    enum Event { case connection, stop }

    private let epoll: Int32
    private let wakeDescriptor: Int32

    init?(listenDescriptor: Int32, wakeDescriptor: Int32) {
        let epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { return nil }
        var listen = epoll_event()
        listen.events = EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue
        listen.data.fd = listenDescriptor
        var wake = epoll_event()
        wake.events = EPOLLIN.rawValue
        wake.data.fd = wakeDescriptor
        guard epoll_ctl(epoll, EPOLL_CTL_ADD, listenDescriptor, &listen) == 0,
              epoll_ctl(epoll, EPOLL_CTL_ADD, wakeDescriptor, &wake) == 0
        else {
            Foundation.close(epoll)
            return nil
        }
        self.epoll = epoll
        self.wakeDescriptor = wakeDescriptor
    }

    deinit { Foundation.close(epoll) }

    /// Blocks until a connection may be waiting (another worker can still take it first) or
    /// the pool is stopping; a stop wins when both are ready.
    func next() -> Event {
        var events = (epoll_event(), epoll_event())
        while true {
            let count = withUnsafeMutableBytes(of: &events) { buffer in
                epoll_wait(epoll, buffer.baseAddress!.assumingMemoryBound(to: epoll_event.self), 2, -1)
            }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { return .stop }
            let ready = [events.0, events.1].prefix(Int(count))
            return ready.contains { $0.data.fd == wakeDescriptor } ? .stop : .connection
        }
    }
}
