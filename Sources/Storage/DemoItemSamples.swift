import Foundation

/// The items every user of the demo API starts with, so a fresh `make run` shows a working list.
public enum DemoItemSamples {
    public static let titles = [
        "Connect this app to ChatGPT",
        "Point BACKEND_API_URL at your own API",
        "Replace the demo items with your product's data",
    ]

    public static func make(now: Date) -> [DemoItem] {
        titles.enumerated().map { index, title in
            DemoItem(id: "item-\(index + 1)", title: title, status: index == 0 ? "done" : "open",
                     createdAt: now.addingTimeInterval(Double(index - titles.count)))
        }
    }
}
