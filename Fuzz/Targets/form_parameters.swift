import Foundation
import HTTPMessages
import Routes

/// `application/x-www-form-urlencoded` decoding (FormParameters) of query strings and bodies.
///
/// Properties: decoding never traps; a successful decode re-encodes (percentEncode) and decodes
/// back to the same pairs; repeatedNames lists exactly the names seen more than once; the same
/// text as a query string (Request.queryParameters) decodes identically.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // Bodies are checked as UTF-8 first (RequestBody); queries arrive as lossy text.
    let text = String(validating: bytes, as: UTF8.self) ?? bytes.text
    let parameters: FormParameters
    do {
        parameters = try FormParameters(urlEncoded: text)
    } catch {
        Harness.require(error.status == 400, "decode error with status \(error.status)")
        return 0
    }
    let pairs = parameters.pairs.map { ($0.name, $0.value) }
    let encoded = FormParameters.encode(pairs)
    Harness.require(encoded.utf8.allSatisfy { $0 < 0x80 && $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: " ") },
                    "encoding left a non-ASCII, space or '+' byte")
    do {
        let again = try FormParameters(urlEncoded: encoded)
        Harness.require(again == parameters,
                        "round trip changed the pairs: \(pairs) -> \(again.pairs)")
    } catch {
        Harness.require(false, "re-encoded form does not decode: \(encoded)")
    }

    var counts: [String: Int] = [:]
    for pair in parameters.pairs { counts[pair.name, default: 0] += 1 }
    Harness.require(Set(parameters.repeatedNames) == Set(counts.filter { $0.value > 1 }.keys), "repeatedNames disagrees")
    Harness.require(parameters.repeatedNames.count == Set(parameters.repeatedNames).count, "repeatedNames has duplicates")
    for pair in parameters.pairs {
        Harness.require(parameters[pair.name] != nil, "subscript misses \(pair.name)")
    }

    let request = Request(method: "GET", path: "/authorize", queryString: text)
    Harness.require((try? request.queryParameters()) == parameters, "query decoding differs from form decoding")
    return 0
}
