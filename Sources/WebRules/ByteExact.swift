/// Comparison of security values byte for byte: redirect URIs, client ids, scopes, resources.
/// Swift's `==` on `String` treats canonically equivalent Unicode as equal (U+212A KELVIN SIGN
/// equals "K"), but servers, browsers and databases compare bytes, and RFC 9700 §4.1.3 asks for
/// exact matching: two values that differ in a byte are different values.
public enum ByteExact {
    public static func equal(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.elementsEqual(rhs.utf8)
    }

    public static func contains(_ values: some Sequence<String>, _ value: String) -> Bool {
        values.contains { equal($0, value) }
    }

    /// Whether every value of `subset` is in `superset`, byte for byte (scopes narrowing on refresh).
    public static func isSubset(_ subset: some Sequence<String>, of superset: [String]) -> Bool {
        subset.allSatisfy { contains(superset, $0) }
    }
}
