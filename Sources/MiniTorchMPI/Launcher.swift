import Foundation

/// Starting the ranks, as `torchrun --nproc-per-node N` does: a program run plainly re-launches
/// itself under `mpirun -np N`, and each copy learns its place from the environment.
///
/// Open MPI's mpirun sets, in every process it starts (Open MPI 4 docs, "mpirun(1)",
/// Environment Variables): OMPI_COMM_WORLD_SIZE, OMPI_COMM_WORLD_RANK, OMPI_COMM_WORLD_LOCAL_RANK,
/// OMPI_COMM_WORLD_LOCAL_SIZE, OMPI_COMM_WORLD_NODE_RANK; torchrun sets WORLD_SIZE, RANK,
/// LOCAL_RANK, LOCAL_WORLD_SIZE, GROUP_RANK (and MASTER_ADDR / MASTER_PORT, which MPI needs not:
/// mpirun wires the processes together itself).
public enum Launcher {
    /// True in a process that mpirun started.
    public static var isUnderMPI: Bool { ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_SIZE"] != nil }

    /// `mpirun` on the PATH, or nil.
    public static func findMPIRun() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/mpirun" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The command that starts `n` copies of `executable`:
    /// `--oversubscribe` lets more ranks than free cores start (Open MPI refuses otherwise),
    /// `--allow-run-as-root` is needed when root runs it (CI containers; Open MPI refuses root
    /// without it), `--bind-to none` leaves scheduling to the kernel (Open MPI pins each rank to
    /// a core by default, and two jobs at once would then share the same core),
    /// `--mca mpi_yield_when_idle 1` makes a rank waiting in a collective give up its core.
    public static func command(mpirun: String, processes n: Int, executable: String, arguments: [String]) -> [String] {
        var c = [mpirun, "-np", "\(n)", "--oversubscribe", "--bind-to", "none", "--mca", "mpi_yield_when_idle", "1"]
        if getuid() == 0 { c.append("--allow-run-as-root") }
        return c + [executable] + arguments
    }

    /// How a launch ended, when it did not succeed.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs this program again as `n` ranks under mpirun and waits, at most `timeout` seconds
    /// (then every rank is killed: no rank hangs forever). Standard output passes through (rank 0
    /// prints the report); standard error is kept, and a failure becomes one line: the first
    /// `error:` line a rank printed, or what mpirun said happened (a rank killed by a signal).
    public static func relaunch(processes n: Int, arguments: [String], timeout: Double, environment extra: [String: String] = [:]) throws {
        guard let mpirun = findMPIRun() else {
            throw Failure(description: "mpirun was not found on the PATH: install Open MPI (`make deps`, or apt-get install openmpi-bin libopenmpi-dev), or run with --nproc-per-node 1")
        }
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let command = Self.command(mpirun: mpirun, processes: n, executable: me, arguments: arguments)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        var env = ProcessInfo.processInfo.environment
        for (k, v) in extra { env[k] = v }
        process.environment = env
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("mpirun-\(getpid()).err")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errors) }
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardInput = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        // SIGINT/SIGTERM to us also stop the ranks (mpirun forwards them).
        if done.wait(timeout: .now() + timeout) == .timedOut {
            kill(process.processIdentifier, SIGTERM)   // mpirun passes it to every rank
            if done.wait(timeout: .now() + 5) == .timedOut { kill(process.processIdentifier, SIGKILL); done.wait() }
            throw Failure(description: "the \(n) ranks did not finish within \(Int(timeout)) s and were stopped (a rank stuck in a collective waits for the others forever); raise --timeout if the run is just long")
        }
        process.waitUntilExit()
        guard process.terminationStatus != 0 || process.terminationReason != .exit else { return }
        let text = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        throw Failure(description: summary(ofFailedRun: text, status: process.terminationStatus))
    }

    /// One line from mpirun's standard error after a failed run.
    public static func summary(ofFailedRun text: String, status: Int32) -> String {
        let lines = text.components(separatedBy: "\n")
        if let first = lines.first(where: { $0.hasPrefix("error:") }) {
            return String(first.dropFirst("error:".count).drop { $0 == " " })
        }
        // mpirun's banner: "mpirun noticed that process rank 1 with PID 123 on node x exited on signal 9 (Killed)."
        if let line = lines.first(where: { $0.contains("noticed that process rank") }) {
            let what = line.components(separatedBy: "noticed that ").last ?? line
            return "a rank died: \(what.trimmingCharacters(in: .whitespaces)) The others were stopped; run again (see the rank's own messages above)."
        }
        if let line = lines.first(where: { $0.contains("exited without calling") || $0.contains("finalize") }) {
            return "a rank exited before the others were done (\(line.trimmingCharacters(in: .whitespaces))); the others were stopped"
        }
        let last = lines.last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.hasPrefix("---") }) ?? "no message"
        return "mpirun failed with status \(status): \(last.trimmingCharacters(in: .whitespaces))"
    }
}
