/// Why a widget resource cannot be served.
public enum WidgetError: Error, Equatable, CustomStringConvertible {
    /// The bundle was not built into WIDGETS_DIR.
    case bundleMissing(file: String)
    case unreadable(file: String)
    /// No widget of the manifest has this URI.
    case unknown(uri: String)

    public var description: String {
        switch self {
        case .bundleMissing(let file): "the widget is not built: \(file) is missing from WIDGETS_DIR (build the widgets, then retry)"
        case .unreadable(let file): "the widget bundle \(file) cannot be read"
        case .unknown(let uri): "no widget has the URI \(uri.prefix(200))"
        }
    }
}
