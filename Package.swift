// swift-tools-version:6.1
import PackageDescription

// Upcoming language features every target opts into.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "chatgpt-app-fcgi",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "FCGIApp", targets: ["FCGIApp"]),
    ],
    dependencies: [
        // The official MCP SDK: the protocol types of /mcp (dispatch is ours, see MethodDispatcher).
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk.git", exact: "0.12.1"),
    ],
    targets: [
        // System libraries (Debian: libfcgi-dev, libpq-dev, libssl-dev, libcurl4-openssl-dev).
        .systemLibrary(name: "CFastCGI", providers: [.apt(["libfcgi-dev"])]),
        .systemLibrary(name: "CEpoll"),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        // Domain libraries: no HTTP server or FastCGI knowledge below Routes.
        // The one reading of URLs, hosts and origins, and the few output rules every layer shares.
        .target(name: "WebRules", swiftSettings: strictSettings),
        .target(name: "ServerLog", swiftSettings: strictSettings),
        .target(name: "Threads", swiftSettings: strictSettings),
        .target(name: "Configuration", dependencies: ["WebRules"], swiftSettings: strictSettings),
        .target(name: "Crypto", dependencies: ["COpenSSL"], swiftSettings: strictSettings),
        .target(name: "HTTPClient", dependencies: ["CCurl", "WebRules"], swiftSettings: strictSettings),
        .target(name: "Privy", dependencies: ["Crypto", "HTTPClient", "WebRules"], swiftSettings: strictSettings),
        .target(name: "Storage", swiftSettings: strictSettings),
        .target(name: "StoragePostgres", dependencies: ["Storage", "Crypto", "CLibPQ", "ServerLog", "Threads"], swiftSettings: strictSettings),
        .target(name: "OAuth", dependencies: ["Storage", "Crypto", "HTTPClient", "Configuration", "ServerLog", "WebRules"], swiftSettings: strictSettings),

        .target(name: "Backend", dependencies: ["AppManifest", "HTTPClient", "Storage", "ServerLog", "WebRules",
                                               .product(name: "MCP", package: "swift-sdk")], swiftSettings: strictSettings),
        // The app manifest: what a user declares (tools, widgets, scopes, names), checked.
        .target(name: "AppManifest", dependencies: ["WebRules", .product(name: "MCP", package: "swift-sdk")], swiftSettings: strictSettings),
        // A starter manifest written from an OpenAPI document (`FCGIApp manifest from-openapi`).
        .target(name: "ManifestStarter", swiftSettings: strictSettings),
        .target(name: "MCPEndpoint", dependencies: ["AppManifest", "Backend", "ServerLog", "WebRules", "HTTPMessages", .product(name: "MCP", package: "swift-sdk")],
                swiftSettings: strictSettings),

        // HTTP requests and responses as plain values, and what answers them.
        .target(name: "HTTPMessages", dependencies: ["WebRules"], swiftSettings: strictSettings),

        // The HTTP application as plain values.
        .target(name: "Routes", dependencies: ["HTTPMessages", "Configuration", "ServerLog", "OAuth", "Privy", "Storage", "Crypto", "MCPEndpoint", "Backend", "WebRules"], swiftSettings: strictSettings),

        // The wiring of the application over replaceable parts: FCGIApp, tests, benchmarks and
        // fuzzers all build it here.
        .target(name: "AppComposition", dependencies: ["AppManifest", "HTTPMessages", "Routes", "Configuration", "ServerLog", "OAuth", "Privy", "Storage",
                                                       "StoragePostgres", "Crypto", "HTTPClient", "MCPEndpoint", "Backend", "WebRules"],
                swiftSettings: strictSettings),

        // The executable: configuration, sockets, worker threads, libfcgi I/O.
        .executableTarget(name: "FCGIApp", dependencies: ["AppComposition", "AppManifest", "ManifestStarter", "MCPEndpoint", "HTTPMessages", "Routes", "Configuration", "ServerLog", "Threads",
                                                          "CFastCGI", "CEpoll", "OAuth", "Storage", "StoragePostgres"],
                          swiftSettings: strictSettings),

        // `make bench`: throughput figures printed beside a reference measured in the same run.
        .executableTarget(name: "Bench", dependencies: ["AppComposition", "AppManifest", "HTTPMessages", "Routes", "Crypto", "Privy", "OAuth", "Storage", "Backend", "MCPEndpoint", "ServerLog",
                                                "Configuration", .product(name: "MCP", package: "swift-sdk")],
                          swiftSettings: strictSettings),

        // What several test targets share: stand-in servers, the application as `make run` wires it.
        .target(name: "TestSupport", dependencies: ["AppComposition", "AppManifest", "HTTPMessages", "Routes", "Configuration", "OAuth", "Privy", "Storage",
                                                    "Crypto", "MCPEndpoint", "Backend"],
                path: "Tests/TestSupport", swiftSettings: strictSettings),

        .testTarget(name: "RoutesTests", dependencies: ["AppManifest", "Backend", "HTTPMessages", "TestSupport", "AppComposition", "MCPEndpoint",
                                                      .product(name: "MCP", package: "swift-sdk"), "Routes", "Configuration", "ServerLog", "OAuth", "Privy", "Storage", "Crypto",
                                                      "HTTPClient"], swiftSettings: strictSettings),
        .testTarget(name: "OAuthTests", dependencies: ["OAuth", "Storage", "Crypto", "HTTPClient"], swiftSettings: strictSettings),
        .testTarget(name: "WebRulesTests", dependencies: ["WebRules"], swiftSettings: strictSettings),
        .testTarget(name: "ConfigurationTests", dependencies: ["Configuration"], swiftSettings: strictSettings),
        .testTarget(name: "ThreadsTests", dependencies: ["Threads"], swiftSettings: strictSettings),
        .testTarget(name: "CryptoTests", dependencies: ["Crypto"], swiftSettings: strictSettings),
        .testTarget(name: "HTTPClientTests", dependencies: ["HTTPClient", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "PrivyTests", dependencies: ["Privy", "Crypto", "HTTPClient", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "MCPEndpointTests", dependencies: ["AppManifest", "HTTPMessages", "MCPEndpoint", "Backend", "Storage", "WebRules", .product(name: "MCP", package: "swift-sdk")],
                    swiftSettings: strictSettings),
        .testTarget(name: "BackendTests", dependencies: ["AppManifest", "HTTPMessages", "Backend", "HTTPClient", "Storage", "MCPEndpoint", "TestSupport", .product(name: "MCP", package: "swift-sdk")],
                    swiftSettings: strictSettings),
        .testTarget(name: "AppManifestTests", dependencies: ["AppManifest", "WebRules", .product(name: "MCP", package: "swift-sdk")],
                    swiftSettings: strictSettings),
        .testTarget(name: "ManifestStarterTests", dependencies: ["ManifestStarter"], exclude: ["Fixtures"], swiftSettings: strictSettings),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "StoragePostgres", "Crypto"], swiftSettings: strictSettings),
    ]
)
