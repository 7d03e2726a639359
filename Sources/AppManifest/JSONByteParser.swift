/// A strict RFC 8259 reader working on bytes (never on Characters): no comments, no trailing
/// commas, no leading zeros, UTF-8 checked (RFC 8259 §8.1, RFC 3629 §4), escapes including
/// surrogate pairs (§7), and a nesting limit so hostile input cannot exhaust the stack.
struct JSONByteParser<Builder: JSONTreeBuilder> {
    static var maximumDepth: Int { 64 }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    static func parse(_ input: [UInt8]) throws(JSONTextError) -> Builder.Node {
        let result: Result<Builder.Node, JSONTextError> = input.withUnsafeBufferPointer { buffer in
            var parser = JSONByteParser(bytes: buffer)
            do throws(JSONTextError) {
                return .success(try parser.document())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    // RFC 8259 §2: JSON-text = ws value ws
    private mutating func document() throws(JSONTextError) -> Builder.Node {
        let node = try value()
        skipWhitespace()
        guard index == bytes.count else { throw failure("unexpected data after the JSON value") }
        return node
    }

    private mutating func value() throws(JSONTextError) -> Builder.Node {
        skipWhitespace()
        guard index < bytes.count else { throw failure("unexpected end of input") }
        let start = index
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return Builder.string(try string(), at: start)
        case UInt8(ascii: "t"):
            try literal("true")
            return Builder.bool(true, at: start)
        case UInt8(ascii: "f"):
            try literal("false")
            return Builder.bool(false, at: start)
        case UInt8(ascii: "n"):
            try literal("null")
            return Builder.null(at: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try number()
        default:
            throw unexpectedByte()
        }
    }

    // RFC 8259 §4
    private mutating func object() throws(JSONTextError) -> Builder.Node {
        let start = index
        try enterContainer()
        index += 1
        var members: [(key: String, keyOffset: Int, value: Builder.Node)] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return Builder.object(members, at: start)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end of input") }
            guard bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a string key") }
            let keyOffset = index
            let key = try string()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected \":\" after a key") }
            index += 1
            members.append((key, keyOffset, try value()))
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end of input") }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                return Builder.object(members, at: start)
            default:
                throw failure("expected \",\" or \"}\"")
            }
        }
    }

    // RFC 8259 §5
    private mutating func array() throws(JSONTextError) -> Builder.Node {
        let start = index
        try enterContainer()
        index += 1
        var elements: [Builder.Node] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return Builder.array(elements, at: start)
        }
        while true {
            elements.append(try value())
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end of input") }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return Builder.array(elements, at: start)
            default:
                throw failure("expected \",\" or \"]\"")
            }
        }
    }

    private mutating func enterContainer() throws(JSONTextError) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw failure("nesting deeper than \(Self.maximumDepth) levels") }
    }

    private mutating func literal(_ word: StaticString) throws(JSONTextError) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw unexpectedByte() }
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
        for offset in 0..<count where bytes[index + offset] != expected[offset] {
            index += offset
            throw unexpectedByte()
        }
        index += count
    }

    // RFC 8259 §6: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
    private mutating func number() throws(JSONTextError) -> Builder.Node {
        let start = index
        let isNegative = bytes[index] == UInt8(ascii: "-")
        if isNegative { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw failure("invalid number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        let integerEnd = index
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            try digits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            try digits()
        }
        if isInteger, let value = integer(from: isNegative ? start + 1 : start, to: integerEnd, negative: isNegative) {
            return Builder.int(value, at: start)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            index = start
            throw failure("number out of range")
        }
        return Builder.double(value, at: start)
    }

    private mutating func digits() throws(JSONTextError) {
        guard index < bytes.count, isDigit(bytes[index]) else { throw failure("invalid number") }
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }

    /// Nil when the digits do not fit `Int`: the number is then read as a Double.
    private func integer(from start: Int, to end: Int, negative: Bool) -> Int? {
        // Accumulated as a negative number, so Int.min fits.
        var value = 0
        for position in start..<end {
            let (shifted, overflowShift) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowAdd) = shifted.subtractingReportingOverflow(Int(bytes[position] &- UInt8(ascii: "0")))
            if overflowShift || overflowAdd { return nil }
            value = next
        }
        if negative { return value }
        return value == Int.min ? nil : -value
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    // RFC 8259 §7
    private mutating func string() throws(JSONTextError) -> String {
        index += 1
        let start = index
        // Most strings are plain ASCII without escapes: decoded straight from the input.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<(index - 1)]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { break }
            index += 1
        }
        var buffer = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: buffer, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try escape(into: &buffer)
            case 0..<0x20:
                throw failure("unescaped control character in a string")
            case 0x80...:
                let length = try utf8SequenceLength()
                buffer.append(contentsOf: bytes[index..<(index + length)])
                index += length
            default:
                buffer.append(byte)
                index += 1
            }
        }
        throw failure("unterminated string")
    }

    private mutating func escape(into buffer: inout [UInt8]) throws(JSONTextError) {
        guard index + 1 < bytes.count else {
            index = bytes.count
            throw failure("unterminated string")
        }
        let escaped = bytes[index + 1]
        let replacement: UInt8
        switch escaped {
        case UInt8(ascii: "\""): replacement = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): replacement = UInt8(ascii: "\\")
        case UInt8(ascii: "/"): replacement = UInt8(ascii: "/")
        case UInt8(ascii: "b"): replacement = 0x08
        case UInt8(ascii: "f"): replacement = 0x0C
        case UInt8(ascii: "n"): replacement = 0x0A
        case UInt8(ascii: "r"): replacement = 0x0D
        case UInt8(ascii: "t"): replacement = 0x09
        case UInt8(ascii: "u"):
            appendUTF8(of: try unicodeEscape(), to: &buffer)
            return
        default:
            throw failure("invalid escape")
        }
        buffer.append(replacement)
        index += 2
    }

    /// `\uXXXX`, or two of them forming a UTF-16 surrogate pair (RFC 8259 §7).
    private mutating func unicodeEscape() throws(JSONTextError) -> UInt32 {
        let start = index
        let first = try hexQuad(at: index + 2)
        index += 6
        switch first {
        case 0xD800...0xDBFF:
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u"),
                  let second = try? hexQuad(at: index + 2), (0xDC00...0xDFFF).contains(second)
            else {
                index = start
                throw failure("unpaired surrogate in a \\u escape")
            }
            index += 6
            return 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        case 0xDC00...0xDFFF:
            index = start
            throw failure("unpaired surrogate in a \\u escape")
        default:
            return first
        }
    }

    private func hexQuad(at position: Int) throws(JSONTextError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw JSONTextError(offset: position - 2, reason: "invalid \\u escape") }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = bytes[position + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONTextError(offset: position - 2, reason: "invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private func appendUTF8(of scalar: UInt32, to buffer: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            buffer.append(UInt8(scalar))
        case 0x80..<0x800:
            buffer.append(UInt8(0xC0 | scalar >> 6))
            buffer.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            buffer.append(UInt8(0xE0 | scalar >> 12))
            buffer.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            buffer.append(UInt8(0x80 | scalar & 0x3F))
        default:
            buffer.append(UInt8(0xF0 | scalar >> 18))
            buffer.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            buffer.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            buffer.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// The length of the well-formed UTF-8 sequence at `index` (RFC 3629 §4: no overlong forms,
    /// no surrogates, nothing above U+10FFFF).
    private func utf8SequenceLength() throws(JSONTextError) -> Int {
        let lead = bytes[index]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: throw failure("invalid UTF-8")
        }
        guard index + length <= bytes.count, secondRange.contains(bytes[index + 1]) else { throw failure("invalid UTF-8") }
        for position in (index + 2)..<(index + length) where bytes[position] & 0xC0 != 0x80 {
            throw failure("invalid UTF-8")
        }
        return length
    }

    // RFC 8259 §2: ws = *( %x20 / %x09 / %x0A / %x0D )
    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private func unexpectedByte() -> JSONTextError {
        guard index < bytes.count else { return failure("unexpected end of input") }
        let byte = bytes[index]
        if (0x21...0x7E).contains(byte) {
            return failure("unexpected \"\(Character(Unicode.Scalar(byte)))\"")
        }
        let hex = String(byte, radix: 16, uppercase: true)
        return failure("unexpected byte 0x\(byte < 0x10 ? "0" : "")\(hex)")
    }

    private func failure(_ reason: String) -> JSONTextError {
        JSONTextError(offset: index, reason: reason)
    }
}
