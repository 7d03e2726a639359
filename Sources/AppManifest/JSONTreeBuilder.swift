/// What the byte parser makes of each JSON value it reads. One parser serves two trees: the SDK's
/// `Value` for API answers (fast, last duplicate key wins) and `JSONNode` for the manifest
/// (members in document order with byte offsets, so duplicate keys and document order survive).
protocol JSONTreeBuilder {
    associatedtype Node
    static func null(at offset: Int) -> Node
    static func bool(_ value: Bool, at offset: Int) -> Node
    static func int(_ value: Int, at offset: Int) -> Node
    static func double(_ value: Double, at offset: Int) -> Node
    static func string(_ value: String, at offset: Int) -> Node
    static func array(_ elements: [Node], at offset: Int) -> Node
    /// Members in document order, duplicates included.
    static func object(_ members: [(key: String, keyOffset: Int, value: Node)], at offset: Int) -> Node
}
