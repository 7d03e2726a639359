import Foundation
import HTTPMessages
import Routes

/// FastCGI params and body -> `CGIExchange` (CGIMessage.bodyPlan, CGIMessage.request, the whole
/// Application as the Responder, CGIMessage.serialize).
///
/// Input: one flags byte, then FastCGI name-value pairs encoded as on the wire (FastCGI 1.0
/// §3.4: a length is one byte below 128, else four bytes with the top bit set), ended by an
/// empty pair (0x00 0x00) or the end of input; whatever follows is the body stdin delivers.
/// Each pair becomes a "NAME=value" C string in an envp array as libfcgi builds it, read by
/// `FastCGIInput.variables` (cut at NUL, split at the first '='); the body is read by
/// `FastCGIInput.body`, the code FastCGIConnection runs.
/// Flags: bit 0 = the client closes stdin one byte early; bit 1 = a 16-byte body cap;
/// bits 2-4 = stdin hands out at most 1 << n bytes per read (libfcgi returns short reads).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Harness.substitute(Array(UnsafeBufferPointer(start: data, count: size)))
    guard let flags = input.first else { return 0 }
    var index = 1
    var entries: [[UInt8]] = []

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
        // libfcgi hands "name=value\0"; a NUL inside ends the C string there.
        entries.append(Array(name) + [UInt8(ascii: "=")] + Array(value) + [0])
    }
    let variables = withEnvironment(entries) { FastCGIInput.variables(environment: $0) }
    let body = index < input.count ? Array(input[index...]) : []
    let shortBody = flags & 1 != 0
    let cap = flags & 2 != 0 ? 16 : Harness.maxBodyBytes
    let chunkLimit = 1 << Int((flags >> 2) & 7)

    var requested = -1
    let exchange = CGIExchange(variables: variables, maxBodyBytes: cap, responder: Harness.makeApplication()) { count in
        requested = count
        // stdin as libfcgi delivers it: short reads, then 0 at the end of the stream.
        let available = shortBody ? max(body.count - 1, 0) : body.count
        var offset = 0
        let read = FastCGIInput.body(length: count) { buffer, wanted in
            let n = min(Int(wanted), chunkLimit, available - offset)
            guard n > 0 else { return 0 }
            body.withUnsafeBufferPointer { source in
                UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + offset, byteCount: n)
            }
            offset += n
            return Int32(n)
        }
        Harness.require(read == nil || read! == Array(body.prefix(count)), "body read is not the first \(count) bytes")
        Harness.require((read != nil) == (count <= available), "body of \(count) bytes with \(available) available")
        return read
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

/// A NULL-terminated array of C strings, as libfcgi's `envp`, alive for the call.
private func withEnvironment<T>(_ entries: [[UInt8]], _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> T) -> T {
    let strings = entries.map { entry -> UnsafeMutablePointer<CChar> in
        let copy = UnsafeMutablePointer<CChar>.allocate(capacity: entry.count)
        entry.withUnsafeBytes { UnsafeMutableRawPointer(copy).copyMemory(from: $0.baseAddress!, byteCount: entry.count) }
        return copy
    }
    let array = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: strings.count + 1)
    for (offset, string) in strings.enumerated() { array[offset] = string }
    array[strings.count] = nil
    defer {
        strings.forEach { $0.deallocate() }
        array.deallocate()
    }
    return body(array)
}

private func search(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard haystack.count >= needle.count else { return nil }
    for start in 0...(haystack.count - needle.count) where haystack[start..<start + needle.count].elementsEqual(needle) {
        return start
    }
    return nil
}
