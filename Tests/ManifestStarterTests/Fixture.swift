import Foundation
import ManifestStarter

/// The files under Fixtures/, read from beside this source file (the test target declares no
/// resources, and the fixtures are plain JSON meant to be read and diffed by people too).
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func bytes(_ name: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static func text(_ name: String) throws -> String {
        try String(decoding: bytes(name), as: UTF8.self)
    }

    /// A small OpenAPI 3.1 document around the given `paths` and `components` JSON texts.
    static func document(paths: String, components: String = "{}", version: String = "3.1.0") -> [UInt8] {
        Array("""
        {"openapi": "\(version)", "info": {"title": "Test", "version": "1"}, "paths": \(paths), "components": \(components)}
        """.utf8)
    }

    /// The manifest parsed back, to look at one part of it.
    static func parsed(_ result: StarterResult) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(result.text.utf8)) as? [String: Any] ?? [:]
    }

    /// `tools[index]` of a manifest parsed back.
    static func tool(_ result: StarterResult, _ index: Int = 0) throws -> [String: Any] {
        let tools = try parsed(result)["tools"] as? [[String: Any]] ?? []
        return tools.indices.contains(index) ? tools[index] : [:]
    }
}
