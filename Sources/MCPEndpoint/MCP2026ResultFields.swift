import Foundation
import MCP
import WebRules

/// The fields MCP 2026-07-28 adds to a result the handshake-era path wrote: `resultType`
/// (REQUIRED, basic/index §Result types), `_meta["io.modelcontextprotocol/serverInfo"]`
/// (SHOULD, basic/index §Result _meta), and for cacheable results `ttlMs` and `cacheScope`
/// (MUST, server/utilities/caching).
///
/// Added to the reply's bytes rather than by encoding the result again, so the handshake-era
/// fast paths (`CallToolReplyJSON`, the pre-encoded `tools/list`) serve 2026 too at the cost of
/// one copy. This relies on what `JSONRPCCodec` writes: keys sorted, so a reply is
/// `{"id":…,"jsonrpc":"2.0","result":{…}}` and a result's `_meta`, whose `_` sorts before every
/// lowercase key, comes first when there is one.
struct MCP2026ResultFields: Sendable {
    /// `"io.modelcontextprotocol/serverInfo":{…}`, one entry of `_meta`.
    private let serverInfoEntry: [UInt8]
    private static let complete = Array(#""resultType":"complete""#.utf8)
    private static let cacheable = Array(#""cacheScope":"public","resultType":"complete","ttlMs":0"#.utf8)

    init(serverInfo: Server.Info) {
        serverInfoEntry = JSONOutput.encode(MCP20260728.serverInfoKey) + [UInt8(ascii: ":")] + JSONOutput.encode(serverInfo)
    }

    private static let replyStart = Array(#"{"id":"#.utf8)
    /// What follows the id in a success reply. Inside a JSON string every `"` is escaped, so a
    /// string id cannot hold `,"` and the first match is the real one.
    private static let resultStart = Array(#","jsonrpc":"2.0","result":{"#.utf8)
    private static let metaOpen = Array(#""_meta":{"#.utf8)

    /// A success reply with the 2026 fields; nil when `reply` is not one (an error reply).
    /// - Parameter cacheable: discover, the lists and `resources/read`: the same for every token,
    ///   so `cacheScope: public`; `ttlMs: 0` as a widget bundle may be rebuilt in place at any time.
    func reply(_ reply: [UInt8], cacheable: Bool) -> [UInt8]? {
        guard reply.starts(with: Self.replyStart), reply.last == UInt8(ascii: "}") else { return nil }
        return reply.withUnsafeBufferPointer { bytes -> [UInt8]? in
            guard let objectStart = Self.resultObjectStart(in: bytes) else { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + serverInfoEntry.count + 80)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[..<objectStart]))
            write(UnsafeBufferPointer(rebasing: bytes[objectStart..<(bytes.count - 1)]), cacheable: cacheable, into: &out)
            out.append(UInt8(ascii: "}"))
            return out
        }
    }

    /// A result object (`{…}`) with the 2026 fields.
    func result(_ object: [UInt8], cacheable: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(object.count + serverInfoEntry.count + 80)
        object.withUnsafeBufferPointer { write($0, cacheable: cacheable, into: &out) }
        return out
    }

    /// Where the result object begins: a plain scan, as the id is short. Inside a JSON string
    /// every `"` is escaped, so a string id cannot hold the marker and the first match is the real one.
    private static func resultObjectStart(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        resultStart.withUnsafeBufferPointer { marker in
            var index = replyStart.count
            while index + marker.count <= bytes.count {
                if bytes[index] == marker[0], memcmp(bytes.baseAddress! + index, marker.baseAddress!, marker.count) == 0 {
                    return index + marker.count - 1
                }
                index += 1
            }
            return nil
        }
    }

    /// Copies through buffer pointers: the result may be a widget's whole page.
    private func write(_ object: UnsafeBufferPointer<UInt8>, cacheable: Bool, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        out.append(contentsOf: Self.metaOpen)
        out.append(contentsOf: serverInfoEntry)
        // After the opening brace; without the closing one.
        var rest = UnsafeBufferPointer(rebasing: object[1..<(object.count - 1)])
        if rest.count >= Self.metaOpen.count,
           memcmp(rest.baseAddress!, Self.metaOpen, Self.metaOpen.count) == 0 {
            // serverInfo joins the result's own _meta.
            rest = UnsafeBufferPointer(rebasing: rest[Self.metaOpen.count...])
            if rest.first != UInt8(ascii: "}") { out.append(UInt8(ascii: ",")) }
        } else {
            out.append(UInt8(ascii: "}"))
            if !rest.isEmpty { out.append(UInt8(ascii: ",")) }
        }
        out.append(contentsOf: rest)
        out.append(UInt8(ascii: ","))
        out.append(contentsOf: cacheable ? Self.cacheable : Self.complete)
        out.append(UInt8(ascii: "}"))
    }
}
