import Foundation

/// Runs `rounds` rounds on `threads` real threads (like FastCGI workers), all threads starting
/// each round together, and returns `results[round][thread]`.
func race<State, Result: Sendable>(threads: Int, rounds: Int, setUp: @escaping @Sendable (Int) -> State,
                                   _ body: @escaping @Sendable (State, _ round: Int) -> Result) -> [[Result]] {
    let barrier = RoundBarrier(parties: threads)
    let collected = Collected<Result>(rounds: rounds, threads: threads)
    let done = DispatchGroup()
    for index in 0..<threads {
        done.enter()
        let thread = Thread {
            let state = setUp(index)
            for round in 0..<rounds {
                barrier.arriveAndWait()
                collected.set(body(state, round), round: round, thread: index)
            }
            withExtendedLifetime(state) {}
            done.leave()
        }
        thread.start()
    }
    done.wait()
    return collected.values
}

/// A reusable barrier: everyone waits until all parties arrived, then all continue.
private final class RoundBarrier: @unchecked Sendable {
    private let condition = NSCondition()
    private let parties: Int
    private var waiting = 0
    private var generation = 0

    init(parties: Int) { self.parties = parties }

    func arriveAndWait() {
        condition.withLock {
            let mine = generation
            waiting += 1
            if waiting == parties {
                waiting = 0
                generation += 1
                condition.broadcast()
            } else {
                while mine == generation { condition.wait() }
            }
        }
    }
}

private final class Collected<Result: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [[Result?]]

    init(rounds: Int, threads: Int) {
        storage = Array(repeating: Array(repeating: nil, count: threads), count: rounds)
    }

    func set(_ value: Result, round: Int, thread: Int) {
        lock.withLock { storage[round][thread] = value }
    }

    var values: [[Result]] { lock.withLock { storage.map { $0.map { $0! } } } }
}
