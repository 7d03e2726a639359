import Foundation

/// JSON Pointers (RFC 6901), used both to follow `$ref`s and to say where a warning's keyword is.
enum JSONPointer {
    /// RFC 6901 §3: "~" is written "~0" and "/" is written "~1" inside one reference token.
    static func escaped(_ token: String) -> String {
        token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// `location` followed by one more token, e.g. `#/paths` + `/notes` → `#/paths/~1notes`.
    static func appending(_ location: String, _ token: String) -> String {
        location + "/" + escaped(token)
    }

    /// The value at a URI-fragment JSON Pointer (`#/components/schemas/Note`), or nil.
    /// RFC 6901 §6: in a URI fragment the pointer is percent-encoded first, then "~1" and "~0"
    /// are decoded, in that order, so that "~01" means "~1".
    static func resolve(_ fragment: String, in root: JSONValue) -> JSONValue? {
        guard fragment.hasPrefix("#"), let pointer = String(fragment.dropFirst()).removingPercentEncoding else { return nil }
        if pointer.isEmpty { return root }
        guard pointer.hasPrefix("/") else { return nil }
        var current = root
        for rawToken in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let token = rawToken.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch current {
            case .object(let object):
                guard let next = object[token] else { return nil }
                current = next
            case .array(let array):
                guard let index = Int(token), array.indices.contains(index) else { return nil }
                current = array[index]
            default:
                return nil
            }
        }
        return current
    }
}
