/// What the widget (or the model) can do to one item.
public enum ItemAction: String, Sendable, CaseIterable {
    case complete
    case reopen
    case delete
}
