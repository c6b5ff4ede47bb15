import Foundation

/// Saving and loading in the files the ecosystem opens: the `tokenizers` library's single
/// `tokenizer.json`, and GPT-2's `vocab.json` + `merges.txt`.
///
/// tokenizer.json follows what `tokenizers` (0.20 and later) writes for a byte-level BPE:
/// `added_tokens` (the special tokens, `special: true`, `normalized: false`), no normalizer, a
/// `ByteLevel` pre-tokenizer with `add_prefix_space: false` and `use_regex: true` (GPT-2's
/// pattern), a `ByteLevel` decoder, and a `BPE` model whose `vocab` maps token strings (in GPT-2's
/// byte-to-unicode characters) to ids and whose `merges` lists pairs by rank, each as `[left, right]`.
/// Older files write a merge as one string `"left right"`; both are read.
extension ByteLevelBPETokenizer {
    // MARK: tokenizer.json

    /// Writes `tokenizer.json` (atomically: a failed write leaves no half file).
    public func save(to url: URL) throws {
        var lines: [String] = ["{", "  \"version\": \"1.0\",", "  \"truncation\": null,", "  \"padding\": null,"]
        let added = specialTokens.sorted { $0.id < $1.id }.map { special in
            "    {\"id\": \(special.id), \"content\": \(HeaderJSON.quote(special.content)), \"single_word\": false, "
                + "\"lstrip\": false, \"rstrip\": false, \"normalized\": false, \"special\": true}"
        }
        lines.append("  \"added_tokens\": [" + (added.isEmpty ? "]," : "\n" + added.joined(separator: ",\n") + "\n  ],"))
        lines += [
            "  \"normalizer\": null,",
            "  \"pre_tokenizer\": {\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": true, \"use_regex\": true},",
            "  \"post_processor\": null,",
            "  \"decoder\": {\"type\": \"ByteLevel\", \"add_prefix_space\": true, \"trim_offsets\": true, \"use_regex\": true},",
            "  \"model\": {",
            "    \"type\": \"BPE\", \"dropout\": null, \"unk_token\": null, \"continuing_subword_prefix\": null,",
            "    \"end_of_word_suffix\": null, \"fuse_unk\": false, \"byte_fallback\": false, \"ignore_merges\": false,",
            "    \"vocab\": {",
            vocabEntries(indent: "      ").joined(separator: ",\n"),
            "    },",
            "    \"merges\": [",
            merges.map { "      [\(HeaderJSON.quote(idToToken($0.left)!)), \(HeaderJSON.quote(idToToken($0.right)!))]" }.joined(separator: ",\n"),
            "    ]",
            "  }",
            "}",
        ]
        try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: url)
    }

    /// `"token": id` for every token, in id order.
    private func vocabEntries(indent: String) -> [String] {
        tokenBytes.indices.map { "\(indent)\(HeaderJSON.quote(idToToken($0)!)): \($0)" }
    }

    /// Reads a byte-level BPE `tokenizer.json` (one MiniTorch or `tokenizers` wrote). Anything
    /// else (another model type, a normalizer, another pre-tokenizer) is refused with the reason.
    public static func load(from url: URL) throws -> ByteLevelBPETokenizer {
        let name = url.lastPathComponent
        func failure(_ reason: String) -> TokenizerError { TokenizerError("\(name): \(reason)") }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw failure(FileManager.default.fileExists(atPath: url.path) ? "cannot be read" : "no such file (\(url.path))")
        }
        let root: HeaderJSON
        do { root = try HeaderJSON.parse(Array(data)) } catch {
            throw failure("not valid JSON (\(error.message) at byte \(error.offset))")
        }
        guard case .object = root else { throw failure("not a tokenizer.json (the top level is not an object)") }
        guard let model = root["model"], case .object = model else { throw failure("has no \"model\"") }
        guard model["type"] == .string("BPE") else { throw failure("model type is \(model["type"].map(describe) ?? "missing"), not BPE") }
        if let normalizer = root["normalizer"], normalizer != .null {
            throw failure("has a normalizer (\(describe(normalizer["type"] ?? normalizer))); MiniTorch reads byte-level BPE without one")
        }
        guard let pre = root["pre_tokenizer"], pre["type"] == .string("ByteLevel") else {
            throw failure("pre_tokenizer is \(root["pre_tokenizer"].flatMap { $0["type"] }.map(describe) ?? "missing"), not GPT-2's ByteLevel")
        }
        if pre["add_prefix_space"] == .bool(true) { throw failure("ByteLevel pre_tokenizer has add_prefix_space true; MiniTorch reads GPT-2's setting, false") }
        if pre["use_regex"] == .bool(false) { throw failure("ByteLevel pre_tokenizer has use_regex false; MiniTorch reads GPT-2's pattern") }
        if model["ignore_merges"] == .bool(true) { throw failure("BPE model has ignore_merges true; MiniTorch encodes by merge rank only") }

        guard let vocabJSON = model["vocab"], case .object(let vocabEntries) = vocabJSON else { throw failure("model has no \"vocab\" object") }
        var vocab: [(String, Int)] = []
        for (token, value) in vocabEntries {
            guard case .integer(let id) = value else { throw failure("vocab entry \(HeaderJSON.quote(token)) is not a whole number") }
            vocab.append((token, id))
        }
        var specials: [(String, Int)] = []
        if let added = root["added_tokens"], case .array(let items) = added {
            for item in items {
                guard case .string(let content)? = item["content"], case .integer(let id)? = item["id"] else {
                    throw failure("an added_tokens entry lacks its content or id")
                }
                guard item["special"] == .bool(true) else { throw failure("added token \(HeaderJSON.quote(content)) is not special; MiniTorch reads special added tokens only") }
                specials.append((content, id))
            }
        }
        var pairs: [(String, String)] = []
        guard let mergesJSON = model["merges"], case .array(let mergeItems) = mergesJSON else { throw failure("model has no \"merges\" list") }
        for (rank, item) in mergeItems.enumerated() {
            switch item {
            case .array(let parts):
                guard parts.count == 2, case .string(let a) = parts[0], case .string(let b) = parts[1] else { throw failure("merge \(rank) is not a pair of strings") }
                pairs.append((a, b))
            case .string(let line):
                let parts = line.split(separator: " ", omittingEmptySubsequences: false)
                guard parts.count == 2 else { throw failure("merge \(rank) \(HeaderJSON.quote(line)) is not two tokens separated by one space") }
                pairs.append((String(parts[0]), String(parts[1])))
            default:
                throw failure("merge \(rank) is neither a pair nor a string")
            }
        }
        do {
            return try assemble(vocab: vocab, merges: pairs, specialTokens: specials)
        } catch let error as TokenizerError {
            throw failure(error.description)
        }
    }

    // MARK: vocab.json + merges.txt

    /// Writes GPT-2's two files into `folder`: vocab.json (token -> id, special tokens included)
    /// and merges.txt (a `#version: 0.2` line, then one `left right` line per merge by rank).
    public func saveVocabAndMerges(to folder: URL) throws {
        let vocab = "{\n" + vocabEntries(indent: "  ").joined(separator: ",\n") + "\n}\n"
        try AtomicFile.write(vocab, to: folder.appendingPathComponent("vocab.json"))
        let lines = ["#version: 0.2"] + merges.map { "\(idToToken($0.left)!) \(idToToken($0.right)!)" }
        try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: folder.appendingPathComponent("merges.txt"))
    }

    /// Reads vocab.json + merges.txt from `folder`; the entries named in `specialTokens` that the
    /// vocabulary holds become special tokens.
    public static func load(vocabAndMergesIn folder: URL, specialTokens: [String] = defaultSpecialTokens) throws -> ByteLevelBPETokenizer {
        let vocabURL = folder.appendingPathComponent("vocab.json"), mergesURL = folder.appendingPathComponent("merges.txt")
        guard let vocabData = FileManager.default.contents(atPath: vocabURL.path) else { throw TokenizerError("vocab.json: no such file in \(folder.path)") }
        guard let mergesData = FileManager.default.contents(atPath: mergesURL.path) else { throw TokenizerError("merges.txt: no such file in \(folder.path)") }
        let root: HeaderJSON
        do { root = try HeaderJSON.parse(Array(vocabData)) } catch {
            throw TokenizerError("vocab.json: not valid JSON (\(error.message) at byte \(error.offset))")
        }
        guard case .object(let entries) = root else { throw TokenizerError("vocab.json: not an object of token -> id") }
        var vocab: [(String, Int)] = [], specials: [(String, Int)] = []
        for (token, value) in entries {
            guard case .integer(let id) = value else { throw TokenizerError("vocab.json: entry \(HeaderJSON.quote(token)) is not a whole number") }
            if specialTokens.contains(token) { specials.append((token, id)) } else { vocab.append((token, id)) }
        }
        var pairs: [(String, String)] = []
        for (number, line) in String(decoding: mergesData, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || (number == 0 && line.hasPrefix("#version")) { continue }
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw TokenizerError("merges.txt: line \(number + 1) is not two tokens separated by one space") }
            pairs.append((String(parts[0]), String(parts[1])))
        }
        do {
            return try assemble(vocab: vocab + specials, merges: pairs, specialTokens: specials)
        } catch let error as TokenizerError {
            throw TokenizerError("vocab.json + merges.txt: \(error.description)")
        }
    }

    /// Ids dense from 0; special tokens may sit in the vocabulary or only in `specialTokens`.
    private static func assemble(vocab: [(String, Int)], merges: [(String, String)], specialTokens: [(String, Int)]) throws -> ByteLevelBPETokenizer {
        let specialIDs = Dictionary(specialTokens.map { ($0.1, $0.0) }, uniquingKeysWith: { a, _ in a })
        let size = (vocab.map(\.1) + specialTokens.map(\.1)).max().map { $0 + 1 } ?? 0
        var tokens = [[UInt8]?](repeating: nil, count: size)
        var idOf: [String: Int] = [:]
        for (token, id) in vocab + specialTokens.map({ ($0.0, $0.1) }) {
            guard id >= 0 else { throw TokenizerError("token \(HeaderJSON.quote(token)) has a negative id \(id)") }
            if let content = specialIDs[id] {
                guard content == token else { throw TokenizerError("id \(id) is both \(HeaderJSON.quote(token)) and special token \(HeaderJSON.quote(content))") }
                tokens[id] = Array(content.utf8)
                continue
            }
            guard let bytes = ByteLevel.decode(token) else {
                throw TokenizerError("token \(HeaderJSON.quote(token)) has a character outside GPT-2's byte-to-unicode table")
            }
            if let previous = tokens[id], previous != bytes { throw TokenizerError("id \(id) is given to two tokens") }
            tokens[id] = bytes
            idOf[token] = id
        }
        if let hole = tokens.firstIndex(where: { $0 == nil }) { throw TokenizerError("no token has id \(hole) (ids must run from 0 to \(size - 1))") }
        var mergeIDs: [(left: Int, right: Int)] = []
        for (rank, (a, b)) in merges.enumerated() {
            guard let left = idOf[a], let right = idOf[b] else {
                throw TokenizerError("merge \(rank) (\(a) \(b)) names a token that is not in the vocabulary")
            }
            mergeIDs.append((left, right))
        }
        return try ByteLevelBPETokenizer(tokenBytes: tokens.map { $0! }, merges: mergeIDs, specialTokens: specialTokens.map { ($0.0, $0.1) })
    }
}

/// A short description of a JSON value for messages.
private func describe(_ value: HeaderJSON) -> String {
    switch value {
    case .string(let s): return HeaderJSON.quote(s)
    case .null: return "null"
    default: return value.serialized.count > 40 ? String(value.serialized.prefix(40)) + "..." : value.serialized
    }
}

extension HeaderJSON {
    /// An object's member by key (the first, if repeated); nil for a missing key or a non-object.
    fileprivate subscript(key: String) -> HeaderJSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }
}
