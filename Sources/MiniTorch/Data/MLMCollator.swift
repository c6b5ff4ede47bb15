/// Masked-language-model batches, as Hugging Face's `DataCollatorForLanguageModeling(mlm=True)`.
///
/// Its `torch_mask_tokens` (transformers/data/data_collator.py), step by step:
/// 1. every token that is not special and not padding is selected with probability
///    `mlm_probability` (0.15), independently: `torch.bernoulli(probability_matrix)`;
/// 2. labels keep the original id at selected positions and -100 everywhere else, so the loss
///    (`CrossEntropyLoss(ignoreIndex: -100)`) is computed on selected tokens only;
/// 3. of the selected, 80% become `<mask>`, 10% a random token, 10% stay as they were (BERT's
///    recipe: the model cannot assume that an unmasked token is always correct).
///
/// One difference, on purpose: Hugging Face draws the random token from the whole vocabulary,
/// special tokens included; here it is drawn from the ordinary (non-special) tokens only, so a
/// replacement is never `<pad>` or `<s>`.
///
/// Masking is dynamic, as in RoBERTa: every call draws new masks, so each epoch sees the same
/// sentence masked differently. `StaticMasking` is BERT's original alternative for comparison.

/// A padded batch of B sequences of length T, flattened row-major ([B, T]).
public struct MLMBatch {
    public let inputIds: [Int]        // [B, T], after masking
    public let labels: [Int]          // [B, T], the original id where selected, -100 elsewhere
    public let attentionMask: [Int]   // [B, T], 1 for real tokens, 0 for padding
    public let batchSize: Int
    public let seqLength: Int
    /// What the masking did in this batch.
    public let statistics: MaskingStatistics

    public var shape: [Int] { [batchSize, seqLength] }
}

/// Counts of what masking did, for the lesson's table: of the eligible (non-special,
/// non-padding) tokens, how many were selected, and of those how many became `<mask>`, a
/// random token, or stayed.
public struct MaskingStatistics: Equatable, Sendable {
    public var eligible = 0
    public var selected = 0
    public var masked = 0
    public var randomized = 0
    public var kept = 0

    public init() {}

    public var selectedShare: Double { eligible == 0 ? 0 : Double(selected) / Double(eligible) }
    public var maskedShare: Double { selected == 0 ? 0 : Double(masked) / Double(selected) }
    public var randomShare: Double { selected == 0 ? 0 : Double(randomized) / Double(selected) }
    public var keptShare: Double { selected == 0 ? 0 : Double(kept) / Double(selected) }

    public static func + (a: MaskingStatistics, b: MaskingStatistics) -> MaskingStatistics {
        var s = a
        s.eligible += b.eligible; s.selected += b.selected
        s.masked += b.masked; s.randomized += b.randomized; s.kept += b.kept
        return s
    }
}

public final class DataCollatorForLanguageModeling {
    public let tokenizer: WordTokenizer
    public let mlmProbability: Double
    public let generator: Generator
    /// Everything masked since creation (all calls added up).
    public private(set) var totalStatistics = MaskingStatistics()

    public init(tokenizer: WordTokenizer, mlmProbability: Double = 0.15, generator: Generator) {
        if !(mlmProbability >= 0 && mlmProbability <= 1) {
            fail("DataCollatorForLanguageModeling: mlmProbability must be between 0 and 1 (got \(mlmProbability))")
        }
        if tokenizer.vocabSize <= WordTokenizer.specialTokens.count {
            fail("DataCollatorForLanguageModeling: the vocabulary has no ordinary tokens to mask")
        }
        self.tokenizer = tokenizer
        self.mlmProbability = mlmProbability
        self.generator = generator
    }

    /// Pads `sequences` (token ids with `<s> ... </s>`) and masks them with fresh random draws.
    /// `maxLength` pads to a fixed length; without it, to the longest sequence in the batch.
    public func callAsFunction(_ sequences: [[Int]], maxLength: Int? = nil) -> MLMBatch {
        let (ids, attention, length) = DataCollatorForLanguageModeling.pad(sequences, maxLength: maxLength)
        let (inputs, labels, stats) = maskTokens(ids)
        totalStatistics = totalStatistics + stats
        return MLMBatch(inputIds: inputs, labels: labels, attentionMask: attention,
                        batchSize: sequences.count, seqLength: length, statistics: stats)
    }

    /// Fills every sequence up to one length with `<pad>` (id 1), as `tokenizer.pad`, and returns
    /// the flattened ids, the attention mask (1 real, 0 padding) and that length.
    public static func pad(_ sequences: [[Int]], maxLength: Int? = nil) -> (ids: [Int], attentionMask: [Int], length: Int) {
        let longest = sequences.map(\.count).max() ?? 0
        let length = maxLength ?? longest
        if longest > length {
            fail("DataCollatorForLanguageModeling.pad: a sequence has \(longest) tokens, more than maxLength \(length); encode with maxLength to truncate")
        }
        var ids: [Int] = [], attention: [Int] = []
        ids.reserveCapacity(sequences.count * length); attention.reserveCapacity(sequences.count * length)
        for s in sequences {
            ids += s; ids += [Int](repeating: WordTokenizer.padID, count: length - s.count)
            attention += [Int](repeating: 1, count: s.count); attention += [Int](repeating: 0, count: length - s.count)
        }
        return (ids, attention, length)
    }

    /// The masking itself (`torch_mask_tokens`) on already padded ids: returns the model's
    /// inputs, the labels and what was done. Padding and special tokens are never selected.
    public func maskTokens(_ ids: [Int]) -> (inputIds: [Int], labels: [Int], statistics: MaskingStatistics) {
        var inputs = ids
        var labels = [Int](repeating: -100, count: ids.count)
        var stats = MaskingStatistics()
        let special = WordTokenizer.specialTokens.count   // ids 0..<5: <s> <pad> </s> <unk> <mask>
        let ordinary = tokenizer.vocabSize - special
        let p = Float(mlmProbability)
        // ANCHOR: mask-tokens
        // BEGIN SOLUTION ex06_1
        for i in 0..<ids.count where !tokenizer.isSpecial(ids[i]) {
            stats.eligible += 1
            guard generator.uniform() < p else { continue }          // bernoulli(0.15)
            stats.selected += 1
            labels[i] = ids[i]
            let r = generator.uniform()
            if r < 0.8 {                                              // 80%: <mask>
                inputs[i] = WordTokenizer.maskID; stats.masked += 1
            } else if r < 0.9 {                                       // 10%: a random ordinary token
                inputs[i] = special + generator.int(below: ordinary); stats.randomized += 1
            } else {                                                  // 10%: unchanged
                stats.kept += 1
            }
        }
        // END SOLUTION
        // ANCHOR_END: mask-tokens
        return (inputs, labels, stats)
    }
}

/// BERT's original static masking: each sequence is masked once, up front, and every epoch
/// sees those same masks. (RoBERTa's baseline duplicated the data 10 times with 10 different
/// masks; `duplicates` does the same.) Dynamic masking draws new masks each time instead,
/// which RoBERTa found as good or slightly better (Liu et al. 2019, Table 1).
public struct StaticMasking {
    /// The masked copies: `duplicates` per sequence, copy k of sequence i at k * count + i.
    public let inputIds: [[Int]]
    public let labels: [[Int]]
    public let duplicates: Int
    public let statistics: MaskingStatistics
    private let perSequence: [MaskingStatistics]
    private let count: Int

    /// Masks every sequence `duplicates` times with `collator`'s probabilities and generator.
    public init(_ sequences: [[Int]], collator: DataCollatorForLanguageModeling, duplicates: Int = 1) {
        if duplicates < 1 { fail("StaticMasking: duplicates must be at least 1 (got \(duplicates))") }
        var inputs: [[Int]] = [], labels: [[Int]] = []
        var perSequence: [MaskingStatistics] = []
        for _ in 0..<duplicates {
            for s in sequences {
                let m = collator.maskTokens(s)
                inputs.append(m.inputIds); labels.append(m.labels); perSequence.append(m.statistics)
            }
        }
        self.inputIds = inputs
        self.labels = labels
        self.duplicates = duplicates
        self.statistics = perSequence.reduce(MaskingStatistics(), +)
        self.perSequence = perSequence
        self.count = sequences.count
    }

    /// The batch of sequences `indices` as masked up front; in `epoch` e, copy e % duplicates.
    public func batch(_ indices: [Int], epoch: Int = 0, maxLength: Int? = nil) -> MLMBatch {
        let copy = (epoch % duplicates) * count
        for i in indices where i < 0 || i >= count {
            fail("StaticMasking.batch: index \(i) is out of range for \(count) sequences")
        }
        let (ids, attention, length) = DataCollatorForLanguageModeling.pad(indices.map { inputIds[copy + $0] }, maxLength: maxLength)
        var labelsFlat: [Int] = []
        labelsFlat.reserveCapacity(ids.count)
        for i in indices {
            let l = labels[copy + i]
            labelsFlat += l; labelsFlat += [Int](repeating: -100, count: length - l.count)
        }
        let stats = indices.reduce(MaskingStatistics()) { $0 + perSequence[copy + $1] }
        return MLMBatch(inputIds: ids, labels: labelsFlat, attentionMask: attention,
                        batchSize: indices.count, seqLength: length, statistics: stats)
    }
}
