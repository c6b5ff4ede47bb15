import Foundation

/// The `checkpoint-<step>/` folders of an output folder, kept as Hugging Face's Trainer keeps
/// them: each written whole or not at all, the oldest deleted beyond `save_total_limit`, the
/// newest found for `resume_from_checkpoint=True`. The Trainer writes its checkpoints with it,
/// and so can a hand-written training loop (lesson 06's pretraining).
public enum CheckpointFolder {
    /// HF's folder name: `checkpoint-40`.
    public static func name(step: Int) -> String { "checkpoint-\(step)" }

    /// The checkpoint folders in `outputDir`, oldest (lowest step) first. Only folders whose
    /// name is `checkpoint-` and digits count, as HF `get_last_checkpoint` matches
    /// `^checkpoint-(\d+)$`: a file, or `checkpoint-40.old`, is not a checkpoint.
    public static func all(in outputDir: URL) -> [(step: Int, url: URL)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: outputDir.path)) ?? []
        return names.compactMap { name -> (Int, URL)? in
            let digits = name.dropFirst("checkpoint-".count)
            guard name.hasPrefix("checkpoint-"), !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
                  let step = Int(digits) else { return nil }
            let url = outputDir.appendingPathComponent(name)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue else { return nil }
            return (step, url)
        }.sorted { $0.0 < $1.0 }
    }

    /// The newest checkpoint folder in `outputDir` (highest step), or nil when there is none.
    public static func latest(in outputDir: URL) -> URL? { all(in: outputDir).last?.url }

    /// Writes `checkpoint-<step>/` in `outputDir`: `files` writes everything into a hidden
    /// temporary folder beside the target, which `rename(2)` moves into place only once all of
    /// it is there. A failure (or a crash) part-way leaves the earlier checkpoints as they were,
    /// and never a `checkpoint-<step>` with a model but no optimizer. Then, with
    /// `saveTotalLimit`, the oldest folders beyond that many are deleted (HF
    /// `_rotate_checkpoints`). Throws `TrainingError.checkpoint` with one line; returns the folder.
    @discardableResult
    public static func write(step: Int, in outputDir: URL, saveTotalLimit: Int? = nil,
                             _ files: (URL) throws -> Void) throws -> URL {
        let target = outputDir.appendingPathComponent(Self.name(step: step))
        do {
            try AtomicFolder.write(target, kind: "checkpoint", files)
        } catch let error as AtomicFileError {
            throw TrainingError.checkpoint(error.description)
        }

        // HF save_total_limit: keep the newest N. Each old folder is first renamed out of the
        // way, so an interrupted deletion never leaves half a checkpoint under its real name.
        if let limit = saveTotalLimit {
            for old in all(in: outputDir).dropLast(limit) {
                let doomed = AtomicFolder.hiddenSibling(of: old.url)
                if rename(old.url.path, doomed.path) == 0 { try? FileManager.default.removeItem(at: doomed) }
            }
        }
        return target
    }
}

extension Optimizer {
    /// Reads an `optimizer.safetensors` written from `stateDict()` and checks it against this
    /// optimizer's parameters, without changing anything: every key must name one of them and
    /// every buffer must have its shape. Pass the result to `loadStateDict`. Throws one line
    /// (a `SafetensorsError` for an unreadable file, `TrainingError.checkpoint` for the rest).
    public func checkedStateDict(from url: URL) throws -> [(String, Tensor)] {
        let tensors = try Safetensors.load(from: url).tensors
        let file = url.lastPathComponent
        for (key, t) in tensors.sorted(by: { $0.key < $1.key }) where key != "param_groups.0.lr" {
            let parts = key.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0] == "state", let i = Int(parts[1]), parameters.indices.contains(i) else {
                throw TrainingError.checkpoint("\(file) has \(key), which this run's optimizer (\(parameters.count) parameters) does not have")
            }
            let expected = parts[2] == "step" ? [] : parameters[i].shape
            guard t.shape == expected, parts[2] != "step" || (t.item() >= 0 && t.item() == t.item().rounded()) else {
                throw TrainingError.checkpoint("\(file) \(key) has shape \(show(t.shape)), expected \(show(expected))")
            }
        }
        return tensors.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
