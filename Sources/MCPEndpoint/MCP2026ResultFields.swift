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

    /// A success reply of `id` with the 2026 fields; nil when `reply` is not one (an error reply).
    /// - Parameter cacheable: discover, the lists and `resources/read`: the same for every token,
    ///   so `cacheScope: public`; `ttlMs: 0` as a widget bundle may be rebuilt in place at any time.
    func reply(_ reply: [UInt8], id: ID, cacheable: Bool) -> [UInt8]? {
        let prefix = Array(#"{"id":"#.utf8) + JSONOutput.encode(id) + Array(#","jsonrpc":"2.0","result":"#.utf8)
        guard reply.starts(with: prefix), reply.count >= prefix.count + 3, reply[prefix.count] == UInt8(ascii: "{") else {
            return nil
        }
        // The result object, without the reply's closing brace.
        return prefix + result(reply[prefix.count..<(reply.count - 1)], cacheable: cacheable) + [UInt8(ascii: "}")]
    }

    /// A result object (`{…}`) with the 2026 fields.
    func result(_ object: ArraySlice<UInt8>, cacheable: Bool) -> [UInt8] {
        let metaOpen = Array(#""_meta":{"#.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(object.count + serverInfoEntry.count + 80)
        out.append(UInt8(ascii: "{"))
        out += metaOpen + serverInfoEntry
        var rest = object.dropFirst()
        if rest.starts(with: metaOpen) {
            // serverInfo joins the result's own _meta.
            rest = rest.dropFirst(metaOpen.count)
            if rest.first != UInt8(ascii: "}") { out.append(UInt8(ascii: ",")) }
        } else {
            out.append(UInt8(ascii: "}"))
            if rest.first != UInt8(ascii: "}") { out.append(UInt8(ascii: ",")) }
        }
        out += rest.dropLast()
        out.append(UInt8(ascii: ","))
        out += cacheable ? Self.cacheable : Self.complete
        out.append(UInt8(ascii: "}"))
        return out
    }
}
