import AppComposition
import Configuration
import Foundation
import Routes
import ServerLog
import StoragePostgres

// Composition root: read configuration, build the application, pick the socket, serve.
signal(SIGPIPE, SIG_IGN)  // a client that hung up must not kill the process mid-write

// `FCGIApp manifest from-openapi ...` needs no configuration: it only writes a starter file.
if CommandLine.arguments.dropFirst().first == "manifest" {
    ManifestCommand.run(arguments: Array(CommandLine.arguments.dropFirst(2)))
}

let configuration: Configuration
do {
    configuration = try ConfigurationSource.load()
} catch {
    StartupFailure.exit("configuration error: \(error)")
}

// `FCGIApp check`: the app manifest as a start would read it; exit 0, or 1 with every problem.
if CommandLine.arguments.dropFirst().first == "check" {
    CheckCommand.run(configuration: configuration)
}

// `FCGIApp migrate`: apply database migrations and exit (for upgrades run before a restart).
if CommandLine.arguments.dropFirst().first == "migrate" {
    do {
        let applied = try PostgresSetup.migrateOnly(configuration)
        print(applied.isEmpty ? "database schema is up to date" : "applied migrations: \(applied.map(String.init).joined(separator: ", "))")
        exit(0)
    } catch {
        StartupFailure.exit("migrate: \(error)")
    }
}

// `FCGIApp cleanup`: delete expired rows and unused clients once (PostgreSQL) and exit.
if CommandLine.arguments.dropFirst().first == "cleanup" {
    do {
        print("cleanup: deleted \(try PostgresSetup.cleanUpOnce(configuration)) rows")
        exit(0)
    } catch {
        StartupFailure.exit("cleanup: \(error)")
    }
}

// `FCGIApp import-original <URL>`: carry the original system's clients and connected users over.
if CommandLine.arguments.dropFirst().first == "import-original" {
    ImportOriginalCommand.run(arguments: Array(CommandLine.arguments.dropFirst(2)), configuration: configuration)
}

let parts: AppParts
let janitor: PostgresJanitor?
do {
    (parts, janitor) = try LiveParts.make(configuration, codeTools: CodeTools.all)
} catch {
    StartupFailure.exit("configuration error: \(error)")
}
let application: ReloadableApplication
do {
    application = try ReloadableApplication(configuration, parts: parts)
} catch {
    StartupFailure.exit("could not register the built-in client: \(error)")
}

switch ListenSocket.acquire(configuration: configuration) {
case .socket(let descriptor, let origin, let ownedPath):
    ServerLog.write(.info, "FCGIApp started", [
        "listen": .string(origin), "threads": .int(configuration.fcgiThreads),
        "environment": .string(configuration.environment.rawValue),
        "storage": .string(configuration.storageDriver.rawValue),
    ])
    let pool = WorkerPool(listenDescriptor: descriptor, threads: configuration.fcgiThreads,
                          maxBodyBytes: configuration.maxBodyBytes, responder: application)
    // SIGHUP (systemd's ExecReload=): re-read the manifest; workers switch between requests.
    pool.runUntilTerminated(onReload: { application.reload() })
    janitor?.stop()
    if let ownedPath { unlink(ownedPath) }
    ServerLog.write(.info, "FCGIApp stopped")
    exit(0)
case .cgi:
    let status = CGIMode.serveOne(maxBodyBytes: configuration.maxBodyBytes, responder: application)
    janitor?.stop()
    exit(status)
case .failed(let message):
    StartupFailure.exit(message)
}
