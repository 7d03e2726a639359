/// `server`: the MCP server's name, title, version, instructions and icons.
enum ServerSectionReader {
    static let maximumInstructionCharacters = 4000

    static func read(_ node: JSONNode, path: String, reader: ManifestReader) -> ServerDeclaration? {
        guard let server = reader.object(node, path: path, keys: ["name", "title", "version", "instructions", "icons"]) else { return nil }
        let name = reader.string(server, "name", required: true)
        if let name, !NamingRules.isServerName(name) {
            reader.report(server.path("name"), NamingRules.serverNameRule, at: server.offset("name"))
        }
        let title = reader.string(server, "title")
        let version = reader.string(server, "version")
        let instructions = reader.string(server, "instructions")
        if let instructions, instructions.count > maximumInstructionCharacters {
            reader.report(server.path("instructions"), "must be at most \(maximumInstructionCharacters) characters",
                          at: server.offset("instructions"))
        }
        var icons: [IconDeclaration] = []
        if let iconsNode = server["icons"], let elements = reader.array(iconsNode, path: server.path("icons")) {
            for (position, element) in elements.enumerated() {
                if let icon = icon(element, path: ManifestPath.element(server.path("icons"), position), reader: reader) {
                    icons.append(icon)
                }
            }
        }
        guard let name else { return nil }
        return ServerDeclaration(name: name, title: title, version: version ?? "1.0.0", instructions: instructions, icons: icons)
    }

    private static func icon(_ node: JSONNode, path: String, reader: ManifestReader) -> IconDeclaration? {
        guard let icon = reader.object(node, path: path, keys: ["src", "mimeType", "sizes"]) else { return nil }
        let src = reader.string(icon, "src", required: true)
        if let src, !NamingRules.isHTTPSURL(src), !src.hasPrefix("data:") {
            reader.report(icon.path("src"), "must be an https or data: URL", at: icon.offset("src"))
        }
        let mimeType = reader.string(icon, "mimeType")
        let sizes = icon["sizes"].flatMap { reader.strings($0, path: icon.path("sizes")) }?.map(\.text) ?? []
        guard let src else { return nil }
        return IconDeclaration(src: src, mimeType: mimeType, sizes: sizes)
    }
}
