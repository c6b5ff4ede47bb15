import Foundation
import Testing
@testable import MiniTorch

/// Same seed, same files: two runs write byte-identical metrics. Nothing here fixes the
/// OpenBLAS thread count (tests share one process); whatever it is, both runs use it.
@Suite("Determinism")
struct DeterminismTests {
    func run(seed: Int, into folder: ScratchFolder, tag: String) throws -> (csv: Data, jsonLines: Data) {
        let trainer = CheckpointTests.makeTrainer(args: CheckpointTests.args(folder, saveSteps: nil, seed: seed))
        let output = try trainer.train()
        let csv = folder.url.appendingPathComponent("\(tag).csv"), jsonl = folder.url.appendingPathComponent("\(tag).jsonl")
        try output.log.write(csv: csv, jsonLines: jsonl)
        return (try Data(contentsOf: csv), try Data(contentsOf: jsonl))
    }

    @Test func sameSeedWritesIdenticalMetricsFiles() throws {
        let folder = ScratchFolder("determinism")
        defer { folder.remove() }
        let a = try run(seed: 42, into: folder, tag: "a"), b = try run(seed: 42, into: folder, tag: "b")
        #expect(a.csv == b.csv)
        #expect(a.jsonLines == b.jsonLines)
        // 42 steps logged every 3 and evaluated every 8: a header and 14 + 5 rows (step 24 has both).
        let lines = String(decoding: a.csv, as: UTF8.self).split(separator: "\n")
        #expect(lines.first == "step,epoch,lr,loss,eval_loss,accuracy,grad_norm,seconds")
        #expect(lines.count == 1 + 14 + 5 - 1)
        // And the comparison can fail: another seed (another data order) writes other numbers.
        let c = try run(seed: 43, into: folder, tag: "c")
        #expect(c.csv != a.csv)
    }
}
