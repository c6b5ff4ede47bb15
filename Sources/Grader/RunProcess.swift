import Foundation

/// How a child process ended.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let timedOut: Bool
    public let output: String
    public let seconds: Double
}

/// Runs `arguments[0]` (looked up on PATH) with the rest as arguments in `folder`, its standard
/// output and error together in `output`; after `timeout` seconds it is killed (SIGTERM, then
/// SIGKILL two seconds later) and `timedOut` is true. Output goes through a temporary file, so a
/// chatty child never blocks on a full pipe.
public func runProcess(_ arguments: [String], in folder: String, timeout: Double? = nil,
                       environment: [String: String] = [:]) throws -> ProcessResult {
    let logURL = FileManager.default.temporaryDirectory
        .appendingPathComponent("grade-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString).log")
    _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: logURL) }
    let log = try FileHandle(forWritingTo: logURL)
    defer { try? log.close() }

    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: folder)
    process.standardOutput = log
    process.standardError = log
    process.standardInput = FileHandle.nullDevice
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env

    let done = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in done.signal() }
    let start = Date()
    do {
        try process.run()
    } catch {
        throw GraderError("cannot run \(arguments.joined(separator: " ")): \(error.localizedDescription)")
    }
    var timedOut = false
    if let timeout {
        if done.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            process.terminate()
            if done.wait(timeout: .now() + 2) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                done.wait()
            }
        }
    } else {
        done.wait()
    }
    let seconds = Date().timeIntervalSince(start)
    try? log.synchronize()
    let data = (try? Data(contentsOf: logURL)) ?? Data()
    return ProcessResult(status: process.terminationStatus, timedOut: timedOut,
                         output: String(decoding: data, as: UTF8.self), seconds: seconds)
}
