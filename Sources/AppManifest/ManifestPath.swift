/// The JSON paths problems are reported at: `tools[2].call.path`, "" for the whole document.
enum ManifestPath {
    static func member(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    static func element(_ path: String, _ index: Int) -> String {
        "\(path)[\(index)]"
    }
}
