import AppManifest
import MCP
import ServerLog
import Storage
import WebRules

/// The built-in items API used when `BACKEND_API_URL` is not set, so `make run` shows a working
/// app: the same contract a user's items API serves (`examples/items/app.json` calls it), answered
/// in process from the app's own store, per signed-in user.
///
///     GET  /items                  -> 200 {"items": [{"id", "title", "status", "createdAt"}]}
///     POST /items/{id}/actions     {"action": "complete"|"reopen"|"delete"} -> 200 {"item": {...}}
///                                  404 {"error": "not_found"} for an unknown id
///
/// Anything else is 404, or 405 for a known path with another method, or 400 for a bad body.
public struct DemoItemsAPI: APITransport {
    public let kind = "demo"
    private let store: any DemoItemStore

    public init(store: any DemoItemStore) {
        self.store = store
    }

    public func send(_ request: APIRequest, for caller: Caller) throws(APIError) -> APIResponse {
        let path = request.target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        switch segments.count {
        case 1 where segments[0] == "items":
            guard request.method == "GET" else { return Self.answer(405, ["error": "method_not_allowed"]) }
            return try list(for: caller)
        case 3 where segments[0] == "items" && segments[2] == "actions":
            guard request.method == "POST" else { return Self.answer(405, ["error": "method_not_allowed"]) }
            guard let itemID = PercentEncoding.decode(segments[1]), !itemID.isEmpty else {
                return Self.answer(404, ["error": "not_found"])
            }
            return try act(on: itemID, body: request.body ?? [], for: caller)
        default:
            return Self.answer(404, ["error": "not_found"])
        }
    }

    private func list(for caller: Caller) throws(APIError) -> APIResponse {
        do {
            return Self.answer(200, ["items": .array(try store.items(userID: caller.userID).map(Self.object))])
        } catch {
            throw .unavailable("the demo item store: \(error)")
        }
    }

    private func act(on itemID: String, body: [UInt8], for caller: Caller) throws(APIError) -> APIResponse {
        let action = (try? JSONText.parse(body))?.objectValue?["action"]?.stringValue
        let status: String?
        switch action {
        case "complete": status = "done"
        case "reopen": status = "open"
        case "delete": status = nil
        default: return Self.answer(400, ["error": "action must be complete, reopen or delete"])
        }
        let updated: DemoItem?
        do {
            updated = try store.updateItem(userID: caller.userID, itemID: itemID, status: status)
        } catch {
            throw .unavailable("the demo item store: \(error)")
        }
        guard let updated else { return Self.answer(404, ["error": "not_found"]) }
        return Self.answer(200, ["item": Self.object(updated)])
    }

    private static func object(_ item: DemoItem) -> Value {
        ["id": .string(item.id), "title": .string(item.title), "status": .string(item.status),
         "createdAt": .string(UTCTimestamp.iso8601(item.createdAt))]
    }

    /// Written with the manifest's JSON writer: JSONSerialization took most of a demo call's time.
    private static func answer(_ status: Int, _ document: [String: Value]) -> APIResponse {
        APIResponse(status: status, body: JSONText.encode(.object(document)))
    }
}
