import Foundation
import Testing

// A learner's plain `swift run lesson-...` has no OPENBLAS_CORETYPE (the Makefile exports it):
// the lesson pins OpenBLAS to the Haswell kernels itself and starts again, so it writes the
// chapter's numbers. On a CPU whose own kernels sum in another order (Cooper Lake, Zen 4) the
// unpinned run would differ in the last digits of metrics.csv.
@Suite("OpenBLAS pinned on a plain run")
struct OpenBLASPinTests {
    @Test func aRunWithoutTheVariablesWritesWhatAPinnedRunWrites() async throws {
        let executable = try requireLessonExecutable("01-learning-curves")
        var unset = LessonProcess.environment
        unset["OPENBLAS_CORETYPE"] = nil
        unset["OPENBLAS_NUM_THREADS"] = nil
        var pinned = LessonProcess.environment
        pinned["OPENBLAS_CORETYPE"] = "Haswell"
        pinned["OPENBLAS_NUM_THREADS"] = "1"
        var written: [Data] = []
        for (name, environment) in [("unset", unset), ("pinned", pinned)] {
            let scratch = scratchFolder("openblas-pin/\(name)")
            let result = try await LessonProcess(executable, ["--num-train-epochs", "3", "--out", "run", "--quiet"],
                                                 scratch: scratch, environment: environment).run()
            #expect(result.status == 0, "\(name): \(result.standardError)")
            written.append(try Data(contentsOf: scratch.appendingPathComponent("run/metrics.csv")))
        }
        #expect(written[0] == written[1], "an unpinned run of lesson 01 wrote other numbers than a pinned one")
    }
}
