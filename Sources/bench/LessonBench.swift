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
        var outs: [URL] = []
        defer { for out in outs { try? FileManager.default.removeItem(at: out) } }
        /// Lessons that read another's output: lesson, the folder of whose --out they read, and the flag.
        let uses = ["lesson-14-instruction-tuning": ("lesson-13-gpt-pretraining", "model", "--base-model")]
        for name in names {
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(name)-\(getpid())")
            let process = Process()
            process.executableURL = folder.appendingPathComponent(name)
            process.arguments = ["--out", out.path, "--quiet"]
            if let (lesson, file, flag) = uses[name] {
                let base = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(lesson)-\(getpid())/\(file)")
                process.arguments! += [flag, base.path]
            }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let start = DispatchTime.now().uptimeNanoseconds
            do { try process.run() } catch { row([name, "-", "could not start"]); continue }
            process.waitUntilExit()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
            outs.append(out)
            row([name, fmt(seconds, 1), "\(process.terminationStatus)"])
            let key = name.dropFirst("lesson-".count).replacingOccurrences(of: "-", with: "_")
            json["lesson_\(key)_s"] = seconds
            slowest = max(slowest, seconds)
        }
        json["lesson_slowest_s"] = slowest
        print()
    }
}
