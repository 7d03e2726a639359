/// One item of the user's list as the items API describes it: `id` and `title` are the
/// contract; `status` (`open`/`done`) is what the widget shows; any other fields are kept.
public struct BackendItem: Sendable, Equatable {
    public var id: String
    public var title: String
    public var status: String?
    /// Fields beyond id/title/status, passed through to the tool result as they came.
    public var otherFields: [String: JSONValue]

    public init(id: String, title: String, status: String? = nil, otherFields: [String: JSONValue] = [:]) {
        self.id = id
        self.title = title
        self.status = status
        self.otherFields = otherFields
    }

    /// The item as one JSON object again (what tools put in `structuredContent`).
    public var jsonObject: [String: JSONValue] {
        var object = otherFields
        object["id"] = .string(id)
        object["title"] = .string(title)
        if let status { object["status"] = .string(status) }
        return object
    }

    /// Reads one item of the API's answer; the error names what is missing.
    static func parse(_ value: JSONValue) throws(BackendError) -> BackendItem {
        guard case .object(var object) = value else { throw .badResponse("an item is not a JSON object") }
        let id: String
        switch object.removeValue(forKey: "id") {
        case .string(let text) where !text.isEmpty: id = text
        case .int(let number): id = String(number)  // numeric ids are common; the tools speak strings
        default: throw .badResponse("an item has no \"id\" string")
        }
        guard case .string(let title) = object.removeValue(forKey: "title") else {
            throw .badResponse("item \(id.prefix(64)) has no \"title\" string")
        }
        var status: String?
        if case .string(let text) = object.removeValue(forKey: "status") { status = text }
        return BackendItem(id: id, title: title, status: status, otherFields: object)
    }
}
