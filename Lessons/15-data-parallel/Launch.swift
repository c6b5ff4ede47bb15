import Foundation
import MiniTorch
import MiniTorchMPI
import Workbook

/// The lesson as its executable runs it, as `torchrun --nproc-per-node N` runs a script. Started
/// plainly with `nprocPerNode` > 1, this process starts the ranks under mpirun and only waits for
/// them; each rank (or the one process) trains, and rank 0 alone shows progress and hands its
/// result to `report`. A failed rank stops the run with one line and status 1, never a hang.
public func launch(_ s: Settings, progress: LessonProgress, report: (LessonResult) throws -> Void) throws {
    if try relaunchUnderMPI(processes: s.nprocPerNode, timeout: s.timeout) { return }
    BLAS.setThreads(1)   // one BLAS thread per rank: the ranks are the parallelism
    try runAsRank(s) { c in
        let result = try run(s, communicator: c, progress: c.rank == 0 ? progress : .silent)
        if c.rank == 0 { try report(result) }
    }
}

/// When this process was started plainly and `processes` > 1: starts `processes` copies of it
/// under mpirun (as `torchrun --nproc-per-node N`), waits for them and returns true. Under
/// mpirun, or for one process, returns false: this process is a rank and trains.
func relaunchUnderMPI(processes: Int, timeout: Double) throws -> Bool {
    guard !Launcher.isUnderMPI, processes > 1 else { return false }
    do {
        try Launcher.relaunch(processes: processes, arguments: Array(CommandLine.arguments.dropFirst()), timeout: timeout,
                              environment: ["OPENBLAS_NUM_THREADS": "1"])
    } catch let failure as Launcher.Failure {
        throw LessonError(failure.description)
    }
    return true
}

/// Runs `body` as one rank: MPI started and ended around it. A rank's error says which rank it
/// was; the rank then exits without finishing MPI, and mpirun stops the other ranks.
func runAsRank(_ s: Settings, _ body: (Communicator) throws -> Void) throws {
    let c = try makeCommunicator()
    do {
        try injectedFault(rank: c.rank)
        try body(c)
    } catch {
        throw LessonError(c.worldSize > 1 ? "rank \(c.rank) of \(c.worldSize): \(error)" : "\(error)")
    }
    (c as? MPICommunicator)?.finalize()
}

/// Faults the reliability tests inject: DATA_PARALLEL_FAULT=die:R kills rank R with SIGKILL
/// (a crashed process), hang:R leaves rank R asleep (a stuck process; the others wait in their
/// first collective until the launcher's timeout).
func injectedFault(rank: Int) throws {
    guard let spec = ProcessInfo.processInfo.environment["DATA_PARALLEL_FAULT"] else { return }
    let parts = spec.split(separator: ":")
    guard parts.count == 2, let r = Int(parts[1]), r == rank else { return }
    switch parts[0] {
    case "die": kill(getpid(), SIGKILL)
    case "hang": while true { sleep(60) }
    default: return
    }
}
