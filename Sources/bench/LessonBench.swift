import Foundation

/// Each lesson's default run, timed from outside: every `lesson-*` executable next to this one
/// (the release build folder), run with `--out <temporary folder> --quiet`.
extension Report {
    mutating func lessons() {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasPrefix("lesson-") && !$0.contains(".") }
            .filter { FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent($0).path) }
            .sorted()
        if names.isEmpty {
            print("No lesson-* executables in \(folder.path): skipping lesson times (swift build -c release first).\n")
            return
        }
        table("Each lesson's default run (wall time, --quiet; target < 30 s)", ["lesson", "seconds", "exit"])
        var slowest = 0.0
        for name in names {
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(name)-\(getpid())")
            let process = Process()
            process.executableURL = folder.appendingPathComponent(name)
            process.arguments = ["--out", out.path, "--quiet"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let start = DispatchTime.now().uptimeNanoseconds
            do { try process.run() } catch { row([name, "-", "could not start"]); continue }
            process.waitUntilExit()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
            try? FileManager.default.removeItem(at: out)
            row([name, fmt(seconds, 1), "\(process.terminationStatus)"])
            let key = name.dropFirst("lesson-".count).replacingOccurrences(of: "-", with: "_")
            json["lesson_\(key)_s"] = seconds
            slowest = max(slowest, seconds)
        }
        json["lesson_slowest_s"] = slowest
        print()
    }
}
