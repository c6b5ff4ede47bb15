import Foundation
import Testing
@testable import MiniTorch

/// Writes files for the reference reader to check: `make safetensors-python` runs this with
/// MINITORCH_SAMPLE_DIR set, then scripts/check_safetensors_python.py loads every file with
/// Hugging Face's `safetensors` package and compares it with `expected.json`. Without the
/// variable the files go to a temporary folder and MiniTorch's own reader checks them.
@Suite("Safetensors files for the reference reader")
struct SafetensorsInteropTests {
    @Test func writeSampleFilesAndTheirExpectedValues() throws {
        let folder: URL
        if let dir = ProcessInfo.processInfo.environment["MINITORCH_SAMPLE_DIR"] {
            folder = URL(fileURLWithPath: dir)
        } else {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("reliability-sample-\(UUID().uuidString)")
        }
        defer { if ProcessInfo.processInfo.environment["MINITORCH_SAMPLE_DIR"] == nil { try? FileManager.default.removeItem(at: folder) } }

        // Shapes that trip readers: a scalar, an empty tensor, odd sizes, special values.
        let g = Generator(seed: 5)
        let tensors: [(String, Tensor)] = [
            ("weight", Tensor.randn([3, 5], generator: g)),
            ("bias", Tensor([1, -2, 0.5])),
            ("scalar", Tensor(scalar: 3.25)),
            ("empty", Tensor.zeros([0, 4])),
            ("specials", Tensor([0, -0.0, .infinity, -.infinity, Float.leastNonzeroMagnitude, Float.greatestFiniteMagnitude])),
        ]
        try Safetensors.save(tensors, to: folder.appendingPathComponent("sample.safetensors"), metadata: ["format": "pt", "note": "MiniTorch"])

        // A real checkpoint folder from a short Trainer run.
        let data = SyntheticData.blobs(count: 40, classes: 2, generator: Generator(seed: 1))
        let args = TrainingArguments(numTrainEpochs: 1, perDeviceTrainBatchSize: 10, learningRate: 1e-2, saveSteps: 4,
                                     outputDir: folder.appendingPathComponent("run").path, logSeconds: false)
        let trainer = Trainer(model: MLP(sizes: [2, 8, 2], generator: Generator(seed: 2)), args: args, trainDataset: data)
        try trainer.train()
        let checkpoint = folder.appendingPathComponent("run/checkpoint-4")

        // expected.json: file -> tensor -> shape and values as bit patterns (exact, and JSON-safe for inf).
        var expected: [String: [String: [String: [UInt32]]]] = [:]
        func record(_ file: String, _ list: [(String, Tensor)]) {
            var entries: [String: [String: [UInt32]]] = [:]
            for (name, t) in list { entries[name] = ["shape": t.shape.map(UInt32.init), "bits": t.scalars.map(\.bitPattern)] }
            expected[file] = entries
        }
        record("sample.safetensors", tensors)
        record("run/checkpoint-4/model.safetensors", trainer.model.namedParameters())
        record("run/checkpoint-4/optimizer.safetensors", trainer.optimizer!.stateDict())
        let json = try JSONEncoder().encode(expected)
        try AtomicFile.write(json, to: folder.appendingPathComponent("expected.json"))

        // The same check with MiniTorch's reader.
        for (file, entries) in expected {
            let (loaded, _) = try Safetensors.load(from: folder.appendingPathComponent(file))
            #expect(Set(loaded.keys) == Set(entries.keys), "\(file)")
            for (name, e) in entries {
                #expect(loaded[name]?.shape.map(UInt32.init) == e["shape"], "\(file) \(name)")
                #expect(loaded[name]?.scalars.map(\.bitPattern) == e["bits"], "\(file) \(name)")
            }
        }
        #expect(FileManager.default.fileExists(atPath: checkpoint.appendingPathComponent("trainer_state.json").path))
    }
}
