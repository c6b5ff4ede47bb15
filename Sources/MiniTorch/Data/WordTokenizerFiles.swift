import Foundation

/// The word tokenizer in the files `tokenizers` and `transformers` read: `tokenizer.json` with a
/// WordLevel model, `tokenizer_config.json` and `special_tokens_map.json`.
///
/// The pipeline in `tokenizer.json` is `tokenize(_:)` in the `tokenizers` library's parts:
/// the special tokens as added tokens (never split, never lower-cased), a `Lowercase`
/// normalizer, `WhitespaceSplit` then `Punctuation` (isolated) as pre-tokenizers, the WordLevel
/// vocabulary with `<unk>`, and `RobertaProcessing` to wrap a sequence in `<s> ... </s>`.
/// Where they differ: `Punctuation` splits Unicode punctuation (and every ASCII symbol), while
/// `tokenize` also splits non-ASCII symbols such as `€`; the lessons' corpora have none.
extension WordTokenizer {
    public func tokenizerJSON() -> [String: Any] {
        let added: [[String: Any]] = WordTokenizer.specialTokens.enumerated().map { id, content in
            ["id": id, "content": content, "single_word": false, "lstrip": false, "rstrip": false,
             "normalized": false, "special": true]
        }
        return [
            "version": "1.0", "truncation": NSNull(), "padding": NSNull(), "added_tokens": added,
            "normalizer": ["type": "Lowercase"],
            "pre_tokenizer": ["type": "Sequence", "pretokenizers": [
                ["type": "WhitespaceSplit"], ["type": "Punctuation", "behavior": "Isolated"]]],
            "post_processor": ["type": "RobertaProcessing", "sep": ["</s>", WordTokenizer.eosID],
                               "cls": ["<s>", WordTokenizer.bosID], "trim_offsets": false, "add_prefix_space": false],
            "decoder": NSNull(),   // tokens joined by spaces, as `decode` joins them
            "model": ["type": "WordLevel", "unk_token": "<unk>",
                      "vocab": Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, $0) })],
        ]
    }

    /// The special tokens under `transformers`' names (`<s>` is both bos and cls, as in RoBERTa).
    public static let specialTokensMap: [String: String] = [
        "bos_token": "<s>", "cls_token": "<s>", "pad_token": "<pad>", "eos_token": "</s>",
        "sep_token": "</s>", "unk_token": "<unk>", "mask_token": "<mask>",
    ]

    /// Writes the three tokenizer files into `folder` (inside an `AtomicFolder` write, or each
    /// file atomically on its own).
    public func saveFiles(to folder: URL, modelMaxLength: Int) throws {
        var config: [String: Any] = WordTokenizer.specialTokensMap
        config["tokenizer_class"] = "PreTrainedTokenizerFast"
        config["model_max_length"] = modelMaxLength
        config["clean_up_tokenization_spaces"] = false
        try AtomicFile.write(ConfigJSON.encode(tokenizerJSON()), to: folder.appendingPathComponent(PretrainedFolder.tokenizer))
        try AtomicFile.write(ConfigJSON.encode(config), to: folder.appendingPathComponent(PretrainedFolder.tokenizerConfig))
        try AtomicFile.write(ConfigJSON.encode(WordTokenizer.specialTokensMap), to: folder.appendingPathComponent(PretrainedFolder.specialTokensMap))
    }

    /// Reads the WordLevel `tokenizer.json` in `folder`. Throws one line when it is missing, is
    /// another kind of tokenizer, or its ids have gaps or lack the special tokens.
    public static func fromPretrained(_ folder: URL) throws -> WordTokenizer {
        let url = folder.appendingPathComponent(PretrainedFolder.tokenizer)
        let file = url.relativePath
        let json = try ConfigJSON.read(url)
        guard let model = json["model"] as? [String: Any], model["type"] as? String == "WordLevel",
              let vocab = model["vocab"] as? [String: Any] else {
            let kind = ((json["model"] as? [String: Any])?["type"] as? String).map { "a \($0) model" } ?? "no model"
            throw SafetensorsError("\(file): has \(kind); MiniTorch's WordTokenizer reads a WordLevel tokenizer.json")
        }
        var tokens = [String?](repeating: nil, count: vocab.count)
        for (token, value) in vocab {
            guard let id = (value as? NSNumber)?.intValue, tokens.indices.contains(id), tokens[id] == nil else {
                throw SafetensorsError("\(file): the id of \"\(token)\" (\(value)) is outside 0..<\(vocab.count) or taken twice")
            }
            tokens[id] = token
        }
        let vocabulary = tokens.compactMap { $0 }
        guard Array(vocabulary.prefix(specialTokens.count)) == specialTokens else {
            throw SafetensorsError("\(file): the vocabulary must start with \(specialTokens.joined(separator: " ")) (ids 0-\(specialTokens.count - 1))")
        }
        return WordTokenizer(vocabulary: vocabulary)
    }
}
