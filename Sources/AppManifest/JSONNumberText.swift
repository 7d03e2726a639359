/// How a Double is written wherever we print one (JSON output, paths, messages): an integral
/// value as an integer ("3", as `JSONEncoder` writes it), any other in Swift's shortest form that
/// reads back to the same Double ("0.1", "1e-07").
enum JSONNumberText {
    /// 2^53: above it not every integer is a Double, so the integer form would claim a precision
    /// the value does not have.
    private static let exactIntegerLimit = 9_007_199_254_740_992.0

    static func format(_ number: Double) -> String {
        guard number.isFinite else { return "null" }
        if number == number.rounded(), abs(number) <= exactIntegerLimit {
            return String(Int(number))
        }
        return number.description
    }
}
