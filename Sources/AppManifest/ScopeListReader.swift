/// `scopes`: the permissions users grant, in consent-screen order.
enum ScopeListReader {
    static let maximumConsentCharacters = 200

    static func read(_ node: JSONNode, path: String, reader: ManifestReader) -> [ScopeDeclaration] {
        guard let elements = reader.array(node, path: path) else { return [] }
        if elements.isEmpty { reader.report(path, "at least one scope is required", at: node.offset) }
        var scopes: [ScopeDeclaration] = []
        var seen: Set<String> = []
        for (position, element) in elements.enumerated() {
            let scopePath = ManifestPath.element(path, position)
            guard let scope = reader.object(element, path: scopePath, keys: ["name", "consent"]) else { continue }
            let name = reader.string(scope, "name", required: true)
            if let name {
                let at = scope.offset("name")
                if NamingRules.reservedScopes.contains(name) {
                    reader.report(scope.path("name"), "\"\(name)\" is reserved by the server", at: at)
                } else if !NamingRules.isScopeName(name) {
                    reader.report(scope.path("name"), NamingRules.scopeNameRule, at: at)
                } else if !seen.insert(name).inserted {
                    reader.report(scope.path("name"), "duplicate scope name \"\(name)\"", at: at)
                }
            }
            let consent = reader.text(scope, "consent")
            if let consent, consent.count > maximumConsentCharacters {
                reader.report(scope.path("consent"), "must be at most \(maximumConsentCharacters) characters", at: scope.offset("consent"))
            }
            if let name, let consent { scopes.append(ScopeDeclaration(name: name, consent: consent)) }
        }
        return scopes
    }
}
