import Foundation

/// Names of well-known products a registered client might pose as on the consent screen, and the
/// check for a name that imitates one: whatever the case, spacing, punctuation, accents, width,
/// and the usual look-alikes ("Chat GPT", "0penAI", "Ｃｌａｕｄｅ", Cyrillic "Сlaude", "rnicrosoft").
///
/// The check compares skeletons, in the manner of UTS #39 §4 (confusable detection): both the
/// name and each product are reduced to letters, with characters that look alike mapped to one
/// representative, and a name whose skeleton contains a product's is an imitation. It errs on the
/// side of warning ("Claudette's notes" is flagged): the cost of a false alarm is one warning line
/// on the consent screen, of a miss a user trusting an impostor.
public enum KnownProductNames {
    public static let products = [
        "ChatGPT", "OpenAI", "Claude", "Anthropic", "Privy", "Google", "Gemini", "Microsoft", "Copilot", "GitHub",
    ]

    private static let productSkeletons = products.map { (name: $0, skeleton: skeleton($0)) }

    /// The product `name` imitates, or nil.
    public static func imitated(by name: String) -> String? {
        let candidate = skeleton(name)
        guard !candidate.isEmpty else { return nil }
        return productSkeletons.first { candidate.contains($0.skeleton) }?.name
    }

    /// Lower-case letters only: compatibility decomposition (NFKD) folds width and styled forms
    /// (ｃ, 𝐜) and splits accents off, which are then dropped with every other non-letter;
    /// look-alikes map to one representative, so "1", "l", "I" and "і" all become "l".
    static func skeleton(_ text: String) -> String {
        var letters = ""
        for scalar in text.decomposedStringWithCompatibilityMapping.lowercased().unicodeScalars {
            if let mapped = lookAlikes[scalar] {
                letters.unicodeScalars.append(mapped)
            } else if ("a"..."z").contains(scalar) {
                letters.unicodeScalars.append(scalar)
            }
        }
        // Pairs of letters that read as one: "rn" as "m", "vv" as "w".
        return letters.replacingOccurrences(of: "rn", with: "m").replacingOccurrences(of: "vv", with: "w")
    }

    /// Digits, symbols, and Cyrillic and Greek letters that pass for Latin ones
    /// (after lower-casing; from the UTS #39 confusables data).
    private static let lookAlikes: [Unicode.Scalar: Unicode.Scalar] = {
        let groups: [(Unicode.Scalar, String)] = [
            ("a", "4@аα"), ("b", "8ь"), ("c", "сϲ"), ("d", "ԁ"), ("e", "3еε"), ("g", "9ɡ"), ("h", "һ"),
            ("j", "ј"), ("k", "кκ"), ("l", "il1|!ıіӏι"), ("m", "м"), ("n", "ո"), ("o", "0оοσ"), ("p", "рρ"),
            ("s", "5$ѕ"), ("t", "7тτ"), ("u", "υ"), ("v", "νѵ"), ("w", "ԝ"), ("x", "хχ"), ("y", "уγ"),
        ]
        var table: [Unicode.Scalar: Unicode.Scalar] = [:]
        for (representative, members) in groups {
            for member in members.unicodeScalars { table[member] = representative }
        }
        return table
    }()
}
