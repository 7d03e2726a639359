import Foundation
import Routes

/// FastCGI params and body -> `CGIExchange` (CGIMessage.bodyPlan, CGIMessage.request, the whole
/// Application as the Responder, CGIMessage.serialize).
///
/// Input: one flags byte, then FastCGI name-value pairs encoded as on the wire (FastCGI 1.0
/// §3.4: a length is one byte below 128, else four bytes with the top bit set), ended by an
/// empty pair (0x00 0x00) or the end of input; whatever follows is the body stdin delivers.
/// Each pair goes through the same "NAME=value" C-string round trip libfcgi's envp imposes
/// (FastCGIConnection.parameters: cut at NUL, split at the first '=').
/// Flags: bit 0 = the client closes stdin one byte early; bit 1 = a 16-byte body cap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Harness.substitute(Array(UnsafeBufferPointer(start: data, count: size)))
    guard let flags = input.first else { return 0 }
    var index = 1
    var variables: [String: String] = [:]

    func length() -> Int? {
        guard index < input.count else { return nil }
        if input[index] < 0x80 {
            defer { index += 1 }
            return Int(input[index])
        }
        guard index + 4 <= input.count else { return nil }
        defer { index += 4 }
        return Int(input[index] & 0x7F) << 24 | Int(input[index + 1]) << 16 | Int(input[index + 2]) << 8 | Int(input[index + 3])
    }

    while let nameLength = length(), let valueLength = length() {
        if nameLength == 0 && valueLength == 0 { break }
        guard index + nameLength + valueLength <= input.count else { index = input.count; break }
        let name = input[index..<index + nameLength]
        let value = input[index + nameLength..<index + nameLength + valueLength]
        index += nameLength + valueLength
        // libfcgi hands "name=value\0"; String(cString:) stops at the first NUL.
        var entry = Array(name) + [UInt8(ascii: "=")] + Array(value)
        if let nul = entry.firstIndex(of: 0) { entry = Array(entry[..<nul]) }
        let text = String(decoding: entry, as: UTF8.self)
        if let equals = text.firstIndex(of: "=") {
            variables[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
    }
    let body = index < input.count ? Array(input[index...]) : []
    let shortBody = flags & 1 != 0
    let cap = flags & 2 != 0 ? 16 : Harness.maxBodyBytes

    var requested = -1
    let exchange = CGIExchange(variables: variables, maxBodyBytes: cap, responder: Harness.makeApplication()) { count in
        requested = count
        // Like FastCGIConnection.readBody: exactly `count` bytes, or nil when stdin ends first.
        let available = shortBody ? max(body.count - 1, 0) : body.count
        return count <= available ? Array(body.prefix(count)) : nil
    }
    Harness.require(requested <= cap, "read \(requested) bytes past the cap \(cap)")
    if requested >= 0 {
        Harness.require(exchange.request.body.count == requested || exchange.request.body.isEmpty,
                        "request body \(exchange.request.body.count) bytes, planned \(requested)")
    }
    Harness.checkResponse(exchange.response, "cgi \(variables["REQUEST_METHOD"] ?? "-") \(variables["REQUEST_URI"] ?? "-")")

    // The serialized CGI answer: a Status line, header lines, a blank line, the body; no header
    // line may carry a bare CR or LF (response splitting).
    let output = exchange.output
    guard let end = search(Array("\r\n\r\n".utf8), in: output) else {
        Harness.require(false, "serialized response has no end of headers")
        return 0
    }
    let head = String(decoding: output[..<end], as: UTF8.self)
    let lines = head.components(separatedBy: "\r\n")
    Harness.require(lines.first?.hasPrefix("Status: \(exchange.response.status) ") == true, "bad status line \(lines.first ?? "")")
    for line in lines {
        Harness.require(!line.contains("\r") && !line.contains("\n"), "header line carries CR/LF: \(line.debugDescription)")
        Harness.require(line.contains(": "), "header line without a colon: \(line.debugDescription)")
    }
    Harness.require(lines.contains { $0.hasPrefix("X-Request-Id: ") }, "no X-Request-Id")
    return 0
}

private func search(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard haystack.count >= needle.count else { return nil }
    for start in 0...(haystack.count - needle.count) where haystack[start..<start + needle.count].elementsEqual(needle) {
        return start
    }
    return nil
}
