@testable import Backend
import Testing

/// Item ids become exactly one path segment, whatever they contain.
@Suite struct PathSegmentTests {
    @Test(arguments: [
        ("item-1", "item-1"), ("a/1", "a%2F1"), ("..", "%2E%2E"), ("b 2", "b%202"), ("x?y#z", "x%3Fy%23z"),
        ("é", "%C3%A9"), ("A_b~9", "A_b~9"), ("%2F", "%252F"),
    ])
    func encodes(raw: String, encoded: String) {
        #expect(PathSegment.encode(raw) == encoded)
    }
}
