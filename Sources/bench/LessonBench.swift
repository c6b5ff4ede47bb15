import Foundation

/// Each lesson's default run, timed from outside: every `lesson-*` executable next to this one
/// (the release build folder), run with `--out <temporary folder> --quiet`. Lesson 14 starts from
/// the model lesson 13's run saved (as `make book` passes it), not from runs/.
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
        func out(_ name: String) -> URL { FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(name)-\(getpid())") }
        defer { for name in names { try? FileManager.default.removeItem(at: out(name)) } }
        for name in names {
            let process = Process()
            process.executableURL = folder.appendingPathComponent(name)
            process.arguments = ["--out", out(name).path, "--quiet"]
            if name == "lesson-14-instruction-tuning" {   // runs in name order, after lesson 13
                process.arguments! += ["--base-model", out("lesson-13-gpt-pretraining").appendingPathComponent("model").path]
            }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let start = DispatchTime.now().uptimeNanoseconds
            do { try process.run() } catch { row([name, "-", "could not start"]); continue }
            process.waitUntilExit()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
            row([name, fmt(seconds, 1), "\(process.terminationStatus)"])
            let key = name.dropFirst("lesson-".count).replacingOccurrences(of: "-", with: "_")
            json["lesson_\(key)_s"] = seconds
            slowest = max(slowest, seconds)
        }
        json["lesson_slowest_s"] = slowest
        print()
    }
}
