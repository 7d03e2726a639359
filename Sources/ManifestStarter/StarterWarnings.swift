/// The warnings of one run, each once and in the order first met. A component used by two tools
/// is simplified twice; its warnings name the component's location, so they are the same lines.
struct StarterWarnings {
    private(set) var lines: [String] = []
    private var seen: Set<String> = []

    mutating func add(_ line: String) {
        if seen.insert(line).inserted { lines.append(line) }
    }
}
