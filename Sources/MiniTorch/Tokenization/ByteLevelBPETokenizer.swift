import Foundation
import Synchronization

/// A byte-level BPE tokenizer as GPT-2 and RoBERTa define it: any byte string in, token ids out,
/// and back without loss.
///
/// Encoding: special tokens are cut out first and never split; the rest is cut into GPT-2's
/// pre-tokenisation pieces; each piece starts as byte tokens and takes merges lowest rank first
/// (rank = the order training learned them) until no learned pair is left, as GPT-2's `bpe()` and
/// the `tokenizers` BPE model do. Pieces repeat a lot in real text, so their ids are cached.
///
/// Ids follow the `tokenizers` trainer: special tokens first, then the 256 byte tokens in
/// `ByteLevel.alphabet` order, then one per merge. Files loaded from elsewhere (GPT-2's own, with
/// `<|endoftext|>` last) keep their ids.
public final class ByteLevelBPETokenizer: Sendable {
    /// The end-of-text token GPT-2 puts between documents.
    public static let endOfText = "<|endoftext|>"
    /// The special tokens a new tokenizer gets: end of text, and ChatML's turn markers for chat.
    public static let defaultSpecialTokens = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]

    /// Each token's bytes, by id (a special token's are its text's UTF-8).
    public let tokenBytes: [[UInt8]]
    /// The special tokens and their ids.
    public let specialTokens: [(content: String, id: Int)]
    /// The merges by rank, as ids: `merges[0]` is the first pair learned.
    public let merges: [(left: Int, right: Int)]

    /// The id of each byte's token.
    let byteIDs: [Int32]
    /// (left, right) -> (rank, id of the joined token).
    let ranks: [UInt64: (rank: Int32, result: Int32)]
    let specialBytes: [(bytes: [UInt8], id: Int)]
    let isSpecial: [Bool]
    /// A piece's bytes -> its ids, shared by every call (the `tokenizers` BPE model keeps one too).
    let cache = Mutex<[ArraySlice<UInt8>: [Int32]]>([:])
    static let cacheCapacity = 200_000

    public var vocabSize: Int { tokenBytes.count }

    /// A tokenizer from its parts. `tokenBytes` lists every token by id; each of the 256 bytes must
    /// be one token on its own, and each merge's joined bytes must be a token.
    public init(tokenBytes: [[UInt8]], merges: [(left: Int, right: Int)], specialTokens: [(content: String, id: Int)]) throws {
        let n = tokenBytes.count
        var isSpecial = [Bool](repeating: false, count: n)
        for special in specialTokens {
            guard (0..<n).contains(special.id) else { throw TokenizerError("special token \(special.content) has id \(special.id), outside the vocabulary of \(n)") }
            guard !special.content.isEmpty else { throw TokenizerError("a special token cannot be empty") }
            isSpecial[special.id] = true
        }
        var byteIDs = [Int32](repeating: -1, count: 256)
        var idOf: [[UInt8]: Int] = [:]
        for (id, bytes) in tokenBytes.enumerated() where !isSpecial[id] {
            if bytes.isEmpty { throw TokenizerError("token \(id) is empty") }
            if idOf[bytes] != nil { throw TokenizerError("token \(ByteLevel.encode(bytes)) appears twice (ids \(idOf[bytes]!) and \(id))") }
            idOf[bytes] = id
            if bytes.count == 1 { byteIDs[Int(bytes[0])] = Int32(id) }
        }
        if let missing = byteIDs.firstIndex(of: -1) {
            throw TokenizerError("byte 0x\(String(missing, radix: 16)) (\(ByteLevel.byteToUnicode[missing])) has no token: a byte-level vocabulary needs all 256")
        }
        var ranks: [UInt64: (rank: Int32, result: Int32)] = [:]
        for (rank, merge) in merges.enumerated() {
            guard (0..<n).contains(merge.left), (0..<n).contains(merge.right), !isSpecial[merge.left], !isSpecial[merge.right] else {
                throw TokenizerError("merge \(rank) joins ids \(merge.left) and \(merge.right), which are not ordinary tokens")
            }
            guard let result = idOf[tokenBytes[merge.left] + tokenBytes[merge.right]] else {
                throw TokenizerError("merge \(rank) (\(ByteLevel.encode(tokenBytes[merge.left])) \(ByteLevel.encode(tokenBytes[merge.right]))) makes a token that is not in the vocabulary")
            }
            let key = BPETrainer.pairKey(Int32(merge.left), Int32(merge.right))
            if ranks[key] == nil { ranks[key] = (Int32(rank), Int32(result)) }
        }
        self.tokenBytes = tokenBytes
        self.merges = merges
        self.specialTokens = specialTokens
        self.byteIDs = byteIDs
        self.ranks = ranks
        self.isSpecial = isSpecial
        // Longest first, so one special token that starts another never cuts it short.
        self.specialBytes = specialTokens.map { (Array($0.content.utf8), $0.id) }.sorted { $0.bytes.count > $1.bytes.count }
    }

    /// Trains on `documents` (each pre-tokenised on its own) until there are `vocabSize` tokens,
    /// the special tokens and the 256 bytes included.
    public static func train<Documents: Sequence>(
        _ documents: Documents, vocabSize: Int, specialTokens: [String] = defaultSpecialTokens, minFrequency: Int = 0
    ) throws -> ByteLevelBPETokenizer where Documents.Element == [UInt8] {
        guard vocabSize >= specialTokens.count + 256 else {
            throw TokenizerError("vocabSize must be at least \(specialTokens.count + 256) (the special tokens and the 256 bytes); got \(vocabSize)")
        }
        let learned = BPETrainer.train(WordCounts(documents: documents), vocabSize: vocabSize - specialTokens.count, minFrequency: minFrequency)
        return try ByteLevelBPETokenizer(learned: learned, specialTokens: specialTokens)
    }

    /// A tokenizer from trained merges, with `specialTokens` in front (ids 0, 1, ...).
    public convenience init(learned: BPEMerges, specialTokens: [String] = defaultSpecialTokens) throws {
        let offset = specialTokens.count
        try self.init(
            tokenBytes: specialTokens.map { Array($0.utf8) } + learned.tokens,
            merges: learned.merges.map { ($0.left + offset, $0.right + offset) },
            specialTokens: specialTokens.enumerated().map { ($1, $0) })
    }

    // MARK: Encoding

    /// The ids of `text`. With `allowSpecial` (the default, as `tokenizers` does), special-token
    /// text such as `<|endoftext|>` becomes its one id; without it, it is encoded as ordinary text.
    public func encode(_ text: String, allowSpecial: Bool = true) -> [Int] {
        encode(bytes: Array(text.utf8), allowSpecial: allowSpecial)
    }

    /// The ids of any byte string, valid UTF-8 or not.
    public func encode(bytes: [UInt8], allowSpecial: Bool = true) -> [Int] {
        var ids: [Int] = []
        ids.reserveCapacity(bytes.count / 3 + 1)
        bytes.withUnsafeBufferPointer { buffer in
            cache.withLock { cache in
                var start = 0
                while start < buffer.count {
                    let (end, special) = allowSpecial ? nextSpecial(buffer, from: start) : (buffer.count, nil)
                    encodeOrdinary(UnsafeBufferPointer(rebasing: buffer[start..<end]), into: &ids, cache: &cache)
                    guard let special else { break }
                    ids.append(special.id)
                    start = end + special.length
                }
            }
        }
        return ids
    }

    /// The next special token at or after `start`: where it begins, its id and length.
    private func nextSpecial(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (Int, (id: Int, length: Int)?) {
        guard !specialBytes.isEmpty else { return (bytes.count, nil) }
        var i = start
        while i < bytes.count {
            for special in specialBytes where bytes[i] == special.bytes[0] && i + special.bytes.count <= bytes.count {
                if special.bytes.indices.allSatisfy({ bytes[i + $0] == special.bytes[$0] }) { return (i, (special.id, special.bytes.count)) }
            }
            i += 1
        }
        return (bytes.count, nil)
    }

    // ANCHOR: encode-cached
    private func encodeOrdinary(_ bytes: UnsafeBufferPointer<UInt8>, into ids: inout [Int], cache: inout [ArraySlice<UInt8>: [Int32]]) {
        PreTokenizer.forEachPiece(bytes) { range in
            let piece = ArraySlice(UnsafeBufferPointer(rebasing: bytes[range]))
            if let known = cache[piece] {
                for id in known { ids.append(Int(id)) }
                return
            }
            let pieceIDs = bpe(piece)
            if cache.count < Self.cacheCapacity { cache[piece] = pieceIDs }
            for id in pieceIDs { ids.append(Int(id)) }
        }
    }
    // ANCHOR_END: encode-cached

    /// One piece: start from its bytes' tokens and apply the lowest-ranked learned pair, all its
    /// occurrences left to right, until no adjacent pair has a merge (GPT-2's `bpe()`).
    // ANCHOR: encode-by-rank
    func bpe<Bytes: Collection<UInt8>>(_ piece: Bytes) -> [Int32] {
        var word = piece.map { byteIDs[Int($0)] }
        while word.count > 1 {
            var best: (rank: Int32, result: Int32)? = nil
            var bestPair: UInt64 = 0
            for k in 0..<(word.count - 1) {
                let key = BPETrainer.pairKey(word[k], word[k + 1])
                if let merge = ranks[key], merge.rank < (best?.rank ?? .max) { best = merge; bestPair = key }
            }
            guard let best else { break }
            let left = Int32(truncatingIfNeeded: bestPair >> 32), right = Int32(truncatingIfNeeded: bestPair & 0xFFFF_FFFF)
            var merged: [Int32] = []
            merged.reserveCapacity(word.count)
            var k = 0
            while k < word.count {
                if k + 1 < word.count, word[k] == left, word[k + 1] == right {
                    merged.append(best.result)
                    k += 2
                } else {
                    merged.append(word[k])
                    k += 1
                }
            }
            word = merged
        }
        return word
    }
    // ANCHOR_END: encode-by-rank

    // MARK: Decoding

    /// The bytes of `ids` joined: exactly the bytes that were encoded.
    public func decodeBytes(_ ids: [Int]) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        for id in ids {
            guard id >= 0 && id < tokenBytes.count else {
                throw TokenizerError("decode: token id \(id) is outside the vocabulary (0..<\(tokenBytes.count))")
            }
            bytes.append(contentsOf: tokenBytes[id])
        }
        return bytes
    }

    /// The text of `ids`; bytes that are not valid UTF-8 become U+FFFD, as the `tokenizers`
    /// ByteLevel decoder does (`String::from_utf8_lossy`). `skipSpecialTokens` leaves them out.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) throws -> String {
        let kept = skipSpecialTokens ? ids.filter { !($0 >= 0 && $0 < isSpecial.count && isSpecial[$0]) } : ids
        return String(decoding: try decodeBytes(kept), as: UTF8.self)
    }

    // MARK: Looking up tokens

    /// A token's string as vocab.json writes it ("Ġthe"; a special token as itself).
    public func idToToken(_ id: Int) -> String? {
        guard id >= 0 && id < tokenBytes.count else { return nil }
        return isSpecial[id] ? String(decoding: tokenBytes[id], as: UTF8.self) : ByteLevel.encode(tokenBytes[id])
    }

    /// The id of a token string as vocab.json writes it, or of a special token.
    public func tokenToID(_ token: String) -> Int? {
        if let special = specialTokens.first(where: { $0.content == token }) { return special.id }
        guard let bytes = ByteLevel.decode(token) else { return nil }
        return tokenBytes.indices.first { !isSpecial[$0] && tokenBytes[$0] == bytes }
    }

    /// The id of a special token, e.g. `specialTokenID("<|endoftext|>")`.
    public func specialTokenID(_ content: String) -> Int? {
        specialTokens.first { $0.content == content }?.id
    }
}

/// A tokenizer that cannot be built or read, in one line a learner can act on.
public struct TokenizerError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
