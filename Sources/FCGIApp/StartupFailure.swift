import Foundation

/// Start-up problems end the process with one clear line and exit status 2.
enum StartupFailure {
    static func exit(_ message: String) -> Never {
        FileHandle.standardError.write(Data("FCGIApp: \(message)\n".utf8))
        Foundation.exit(2)
    }
}
