import Foundation
import MiniTorch

extension Report {
    /// Byte-level BPE on the Shakespeare training split: training at vocabulary 4,096 and encoding
    /// throughput on one thread, MiniTorch beside Hugging Face `tokenizers` (its Rust trainer and
    /// encoder, run through .venv's Python with parallelism off) on the same text.
    mutating func tokenizer(quick: Bool) {
        let corpus: ShakespeareCorpus
        do { corpus = try ShakespeareCorpus.load() } catch {
            print("Tokenizer: skipped (\(error))\n")
            return
        }
        let documents = corpus.works(.train).map(\.text)
        let bytes = documents.reduce(0) { $0 + $1.count }
        let repeats = quick ? 1 : 3
        var trainTimes: [Double] = [], encodeTimes: [Double] = []
        var tokens = 0
        var trained: ByteLevelBPETokenizer?
        for _ in 0..<repeats {
            var start = wallSeconds()
            let tokenizer = try! ByteLevelBPETokenizer.train(documents, vocabSize: 4096)
            trainTimes.append(wallSeconds() - start)
            // A fresh copy has an empty cache, as a freshly loaded tokenizer does.
            let fresh = try! ByteLevelBPETokenizer(tokenBytes: tokenizer.tokenBytes, merges: tokenizer.merges, specialTokens: tokenizer.specialTokens)
            start = wallSeconds()
            tokens = documents.reduce(0) { $0 + fresh.encode(bytes: $1, allowSpecial: false).count }
            encodeTimes.append(wallSeconds() - start)
            trained = tokenizer
        }
        let trainS = trainTimes.sorted()[repeats / 2], encodeS = encodeTimes.sorted()[repeats / 2]
        let ours = (train: trainS, mbPerS: Double(bytes) / encodeS / 1e6, bytesPerToken: Double(bytes) / Double(tokens))
        json["tokenizer_train_s"] = ours.train
        json["tokenizer_encode_mb_s"] = ours.mbPerS
        json["tokenizer_bytes_per_token"] = ours.bytesPerToken

        let reference = referenceTokenizers(documents: corpus.works(.train), repeats: repeats)
        table("Byte-level BPE, vocabulary 4,096, training split (\(corpus.works(.train).count) works, \(bytes) bytes), one thread",
              ["", "train (s)", "encode (MB/s)", "bytes / token"])
        row(["MiniTorch", fmt(ours.train, 2), fmt(ours.mbPerS, 2), fmt(ours.bytesPerToken, 3)])
        if let reference {
            row(["tokenizers \(reference.version)", fmt(reference.train, 2), fmt(reference.mbPerS, 2), fmt(reference.bytesPerToken, 3)])
            json["tokenizers_train_s"] = reference.train
            json["tokenizers_encode_mb_s"] = reference.mbPerS
            json["tokenizers_bytes_per_token"] = reference.bytesPerToken
            note("MiniTorch / tokenizers: training \(fmt(reference.train / ours.train, 1))x as fast, encoding \(fmt(ours.mbPerS / reference.mbPerS, 1))x as fast (wall time, median of \(repeats)); same merges (tested).")
        } else {
            note("tokenizers (Python, .venv) not available: run `make deps` for the side-by-side.")
        }
        _ = trained
        print()
    }

    /// Runs scripts/bench_tokenizers.py with .venv's Python; nil when it is missing or fails.
    private func referenceTokenizers(documents: [ShakespeareCorpus.Work], repeats: Int) -> (version: String, train: Double, mbPerS: Double, bytesPerToken: Double)? {
        let python = URL(fileURLWithPath: ".venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else { return nil }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bench-tokenizers-\(getpid())")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for work in documents { try Data(work.text).write(to: folder.appendingPathComponent("\(work.name).txt")) }
        } catch { return nil }
        func run(_ arguments: [String]) -> String? {
            let process = Process()
            process.executableURL = python
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(["TOKENIZERS_PARALLELISM": "false", "RAYON_NUM_THREADS": "1"]) { $1 }
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return nil }
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return process.terminationStatus == 0 ? output : nil
        }
        guard let line = run(["scripts/bench_tokenizers.py", folder.path, "4096", "\(repeats)"]),
              let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let train = object["train_s"] as? Double, let mb = object["encode_mb_s"] as? Double,
              let bpt = object["bytes_per_token"] as? Double else { return nil }
        let version = run(["-c", "import tokenizers; print(tokenizers.__version__)"])?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
        return (version, train, mb, bpt)
    }
}
