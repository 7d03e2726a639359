import Foundation
import ServerLog
import Storage

/// The built-in items API used when `BACKEND_API_URL` is not set, so `make run` shows a working
/// app: per-user items in the app's own store, called in-process rather than over HTTP.
public struct DemoItemsBackend: ItemsBackend {
    public let kind = "demo"
    private let store: any DemoItemStore

    public init(store: any DemoItemStore) {
        self.store = store
    }

    public func items(for caller: Caller) throws(BackendError) -> [BackendItem] {
        do {
            return try store.items(userID: caller.userID).map(Self.item)
        } catch {
            throw .unavailable("the demo item store: \(error)")
        }
    }

    public func perform(_ action: ItemAction, itemID: String, for caller: Caller) throws(BackendError) -> BackendItem {
        let status: String? = switch action {
        case .complete: "done"
        case .reopen: "open"
        case .delete: nil
        }
        let updated: DemoItem?
        do {
            updated = try store.updateItem(userID: caller.userID, itemID: itemID, status: status)
        } catch {
            throw .unavailable("the demo item store: \(error)")
        }
        guard let updated else { throw .notFound(itemID: itemID) }
        return Self.item(updated)
    }

    private static func item(_ item: DemoItem) -> BackendItem {
        BackendItem(id: item.id, title: item.title, status: item.status,
                    otherFields: ["createdAt": .string(UTCTimestamp.iso8601(item.createdAt))])
    }
}
