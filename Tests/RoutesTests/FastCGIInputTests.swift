import Foundation
import Routes
import Testing

@Suite struct FastCGIInputTests {
    /// Runs `body` with a NULL-terminated C string array like libfcgi's envp.
    private func withEnvironment<T>(_ entries: [[UInt8]], _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> T) -> T {
        let strings = entries.map { entry in (entry + [0]).withUnsafeBytes { strdup($0.baseAddress!.assumingMemoryBound(to: CChar.self))! } }
        let array = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: strings.count + 1)
        for (offset, string) in strings.enumerated() { array[offset] = string }
        array[strings.count] = nil
        defer {
            strings.forEach { free($0) }
            array.deallocate()
        }
        return body(array)
    }

    @Test func variablesSplitAtTheFirstEqualsSign() {
        let entries = ["REQUEST_METHOD=GET", "QUERY_STRING=a=b&c=d", "EMPTY=", "NO_EQUALS", "=nameless"].map { Array($0.utf8) }
        let variables = withEnvironment(entries) {
            FastCGIInput.variables(environment: $0)
        }
        #expect(variables == ["REQUEST_METHOD": "GET", "QUERY_STRING": "a=b&c=d", "EMPTY": "", "": "nameless"])
    }

    @Test func aLaterDuplicateWinsAndInvalidUTF8IsRepaired() {
        let entries = [Array("HTTP_X=1".utf8), Array("HTTP_X=2".utf8), Array("HTTP_Y=".utf8) + [0xFF]]
        let variables = withEnvironment(entries) { FastCGIInput.variables(environment: $0) }
        #expect(variables["HTTP_X"] == "2")
        #expect(variables["HTTP_Y"] == "\u{FFFD}")
        #expect(FastCGIInput.variables(environment: nil).isEmpty)
    }

    /// A reader over `source` that hands out at most `chunk` bytes a call, then 0.
    private func reader(_ source: [UInt8], chunk: Int) -> (UnsafeMutablePointer<CChar>, Int32) -> Int32 {
        var offset = 0
        return { buffer, wanted in
            let count = min(Int(wanted), chunk, source.count - offset)
            guard count > 0 else { return 0 }
            source.withUnsafeBytes { UnsafeMutableRawPointer(buffer).copyMemory(from: $0.baseAddress! + offset, byteCount: count) }
            offset += count
            return Int32(count)
        }
    }

    @Test func bodyReadsExactlyTheDeclaredLengthAcrossShortReads() {
        let source = Array("0123456789abcdef".utf8)
        #expect(FastCGIInput.body(length: 10, readChunk: reader(source, chunk: 3)) == Array(source.prefix(10)))
        #expect(FastCGIInput.body(length: 0, readChunk: reader(source, chunk: 3)) == [])
    }

    @Test func bodyEndingBeforeTheDeclaredLengthIsNil() {
        #expect(FastCGIInput.body(length: 17, readChunk: reader(Array("0123456789abcdef".utf8), chunk: 4)) == nil)
        #expect(FastCGIInput.body(length: 5, readChunk: { _, _ in -1 }) == nil)
    }
}
