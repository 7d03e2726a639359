import Foundation
import ServerLog
import Storage

/// A number of calls each user may make per minute, counted in the store every process shares
/// (`CallCountStore`), so the budget holds across the processes and threads of a deployment.
///
/// Per user only, not also per client. Nearly every caller comes through one client, ChatGPT's:
/// a per-client budget would be a cap on the whole app that, once usage grew to meet it, would
/// refuse every user at once, and its count would be one row that every request of the
/// deployment writes, queueing them all behind its lock in PostgreSQL. What a client can do is
/// already bounded by the budgets of the users who consented to it, and per address by nginx.
public struct CallBudget: Sendable {
    /// What is counted (`mcp`, `backend`): the first part of every count's bucket.
    public let name: String
    /// 0 turns the budget off.
    public let callsPerMinute: Int
    private let store: (any CallCountStore)?
    private let clock: @Sendable () -> Date

    /// The outcome of spending calls.
    public enum Decision: Sendable, Equatable {
        case allowed
        /// Over budget: whole seconds until the window ends (`Retry-After`).
        case exhausted(retryAfter: Int)
    }

    public init(name: String, callsPerMinute: Int, store: any CallCountStore, clock: @escaping @Sendable () -> Date = { Date() }) {
        precondition(callsPerMinute >= 0, "a budget is not negative")
        self.init(name: name, callsPerMinute: callsPerMinute, store: callsPerMinute > 0 ? store : nil, clock: clock)
    }

    private init(name: String, callsPerMinute: Int, store: (any CallCountStore)?, clock: @escaping @Sendable () -> Date) {
        self.name = name
        self.callsPerMinute = callsPerMinute
        self.store = store
        self.clock = clock
    }

    /// No budget: every call is allowed and nothing is counted.
    public static func unlimited(_ name: String) -> CallBudget {
        CallBudget(name: name, callsPerMinute: 0, store: nil, clock: { Date() })
    }

    /// Counts `calls` for the user and says whether they fit in this minute's budget. Refused
    /// calls count too, so a client that keeps retrying does not win back its budget early; the
    /// window still ends on time.
    ///
    /// A store that cannot count lets the calls through with a warning (fail open): the budget
    /// bounds abuse, and refusing every call while the database is slow would turn a brief
    /// outage into a total one; the bearer check in front already needs the same database.
    public func spend(_ calls: Int, userID: String, requestID: String = "") -> Decision {
        guard let store, calls > 0 else { return .allowed }
        let now = clock()
        let window = CallWindow(containing: now)
        let total: Int
        do {
            total = try store.countCalls(bucket: "\(name):user:\(userID)", windowStart: window.start, calls: calls)
        } catch {
            ServerLog.write(.warning, "could not count calls; allowed them uncounted", [
                "request_id": .string(requestID), "budget": .string(name), "error": .string(error.description),
            ])
            return .allowed
        }
        guard total > callsPerMinute else { return .allowed }
        return .exhausted(retryAfter: window.secondsUntilEnd(from: now))
    }
}

/// The budgets of `/mcp`: requests to it, and calls its tools make to the user's API.
public struct CallBudgets: Sendable {
    /// `MCP_CALLS_PER_USER_PER_MINUTE`: JSON-RPC messages to `/mcp` (each batch item is one).
    public var mcp: CallBudget
    /// `BACKEND_CALLS_PER_USER_PER_MINUTE`: calls to the user's API (`ToolContext.call`).
    public var backend: CallBudget

    public init(mcp: CallBudget, backend: CallBudget) {
        self.mcp = mcp
        self.backend = backend
    }

    public static let unlimited = CallBudgets(mcp: .unlimited("mcp"), backend: .unlimited("backend"))
}
