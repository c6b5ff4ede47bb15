import Foundation
import MiniTorch

/// What the masking did, checked against what it promises.
public struct MaskingAudit: Sendable {
    /// Counts over every training batch of the run.
    public let statistics: MaskingStatistics
    public let mlmProbability: Double
    /// Special tokens (`<s>`, `</s>`, ...) and padding positions seen, and how many were selected.
    public let specialOrPadding: Int
    public let specialOrPaddingSelected: Int
    /// Positions with a label (not -100) that were not selected, and selected ones without.
    public let labelMismatches: Int

    /// A binomial count's share k/n has standard deviation sqrt(p (1 - p) / n); the shares
    /// are accepted within 4 of those (a 1-in-15,000 chance of a false alarm per share).
    public static let sigmas = 4.0
    public static func tolerance(p: Double, n: Int) -> Double { sigmas * (p * (1 - p) / Double(n)).squareRoot() }

    public var selectedTolerance: Double { Self.tolerance(p: mlmProbability, n: statistics.eligible) }
    public func splitTolerance(_ p: Double) -> Double { Self.tolerance(p: p, n: statistics.selected) }

    public var selectedShareHolds: Bool { abs(statistics.selectedShare - mlmProbability) <= selectedTolerance }
    public var splitHolds: Bool {
        abs(statistics.maskedShare - 0.8) <= splitTolerance(0.8)
            && abs(statistics.randomShare - 0.1) <= splitTolerance(0.1)
            && abs(statistics.keptShare - 0.1) <= splitTolerance(0.1)
    }
}

/// Masks one epoch of training batches exactly as a run's first epoch does (same seed, same
/// order) and checks every position: special tokens and padding are never selected, and a
/// position has a label exactly when it was selected. `statistics` are the run's own counts.
public func auditMasking(_ settings: PretrainingSettings, corpus: MLMCorpus, runStatistics: MaskingStatistics) -> MaskingAudit {
    let collator = DataCollatorForLanguageModeling(tokenizer: corpus.tokenizer, mlmProbability: settings.mlmProbability,
                                                   generator: Generator(seed: UInt64(settings.seed) &+ 1))
    let loader = DataLoader(TokenizedText(corpus.train), batchSize: settings.perDeviceTrainBatchSize, shuffle: true, seed: settings.seed) { $0 }
    var specials = 0, specialsSelected = 0, mismatches = 0
    for indices in loader.batchIndices(epoch: 0) {
        let (original, _, _) = DataCollatorForLanguageModeling.pad(indices.map { corpus.train[$0] })
        let batch = collator(indices.map { corpus.train[$0] })
        for i in 0..<original.count {
            let changed = batch.inputIds[i] != original[i]
            let labelled = batch.labels[i] != -100
            if corpus.tokenizer.isSpecial(original[i]) {
                specials += 1
                if labelled || changed { specialsSelected += 1 }
            }
            // A changed token must carry its label; a label must hold the original token.
            if (changed && !labelled) || (labelled && batch.labels[i] != original[i]) { mismatches += 1 }
        }
    }
    return MaskingAudit(statistics: runStatistics, mlmProbability: settings.mlmProbability, specialOrPadding: specials,
                        specialOrPaddingSelected: specialsSelected, labelMismatches: mismatches)
}
