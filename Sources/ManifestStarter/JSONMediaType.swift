/// Which entry of a `content` map (OpenAPI 3.1 §4.8.14 Media Type Object) holds JSON.
enum JSONMediaType {
    /// `application/json` (RFC 8259 §11) or a `+json` structured syntax suffix (RFC 6839 §3.1),
    /// parameters such as `; charset=utf-8` aside.
    static func isJSON(_ mediaType: String) -> Bool {
        let essence = mediaType.split(separator: ";", maxSplits: 1).first.map { $0.lowercased() } ?? ""
        let trimmed = essence.trimmingSpaces
        return trimmed == "application/json" || trimmed.hasSuffix("+json")
    }

    /// The JSON entry: exactly `application/json` first, else the first JSON one in key order.
    static func entry(in content: JSONObject) -> (mediaType: String, media: JSONObject)? {
        let key = content["application/json"] != nil ? "application/json" : content.keys.first(where: isJSON)
        guard let key, let media = content[key]?.objectValue else { return nil }
        return (key, media)
    }
}

private extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
