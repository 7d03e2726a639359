import Crypto
import Foundation

/// Typed access to JWT claims as JSONSerialization decodes them (RFC 7519 §4.1).
struct ClaimReader {
    let claims: JSONObject

    /// A NumericDate (RFC 7519 §2: seconds since the epoch, integer or not). JSONSerialization
    /// yields NSNumber for both, and also for true/false, which would read as 1 or 0:
    /// booleans are refused, as are strings and non-finite values.
    func date(_ name: String) throws(PrivyTokenError) -> Date? {
        guard let value = claims[name] else { return nil }
        guard let number = value as? NSNumber, !Self.isBoolean(number) else {
            throw .malformed("claim \"\(name)\" is not a number")
        }
        let seconds = number.doubleValue
        guard seconds.isFinite else {
            throw .malformed("claim \"\(name)\" is not a finite number")
        }
        return Date(timeIntervalSince1970: seconds)
    }

    func requiredDate(_ name: String) throws(PrivyTokenError) -> Date {
        guard let date = try date(name) else {
            throw .malformed("missing claim \"\(name)\"")
        }
        return date
    }

    /// A string claim; nil when absent, `.malformed` when present with another type.
    func string(_ name: String) throws(PrivyTokenError) -> String? {
        guard let value = claims[name] else { return nil }
        guard let string = value as? String else {
            throw .malformed("claim \"\(name)\" is not a string")
        }
        return string
    }

    /// "aud" (RFC 7519 §4.1.3) is one string or an array of strings.
    func audiences() throws(PrivyTokenError) -> [String] {
        switch claims["aud"] {
        case nil:
            throw .malformed("missing claim \"aud\"")
        case let single as String:
            return [single]
        case let list as [Any]:
            var audiences: [String] = []
            for item in list {
                guard let audience = item as? String else {
                    throw .malformed("claim \"aud\" holds a non-string")
                }
                audiences.append(audience)
            }
            return audiences
        default:
            throw .malformed("claim \"aud\" is neither a string nor an array")
        }
    }

    /// Booleans come out of JSONSerialization as NSNumber with the C type "c" (char/BOOL).
    private static func isBoolean(_ number: NSNumber) -> Bool {
        let type = String(cString: number.objCType)
        return type == "c" || type == "B"
    }
}
