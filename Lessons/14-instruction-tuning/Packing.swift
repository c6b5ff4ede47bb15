import Foundation
import MiniTorch

/// Several conversations laid end to end in each row instead of one padded row each: the same
/// loss as `collate`'s batch (the same logits at the same label tokens), on fewer positions.
///
/// `collate` pads every example to the longest in the batch, and the model computes every padding
/// position in full, only for the loss to ignore it: with answers of a few words and prompts of
/// different lengths, a good share of each step is padding. Packing puts whole examples one after
/// the other into rows of at most the context length, so almost every position is a real token.
/// Two things make a packed row give each example what it would get alone (Hugging Face's
/// `DataCollatorWithFlattening`, which returns `position_ids` and `seq_idx` beside the ids):
///
///   - `positionIds` restart at 0 for each example, so its tokens get the position embeddings
///     they get alone (the third example of a row still starts at position 0, not 40);
///   - `sequenceIds` number the examples of a row, and the model's attention mask becomes
///     block-diagonal causal: a token sees the earlier tokens of its own example only, never the
///     example before it (`GPT2Model`'s packed path, MiniTorch/NN/PackedAttention.swift).
public struct PackedBatch: Sendable {
    /// Input ids [R, T]: examples end to end, each without its last token (as in `collate`), then
    /// `padID` to the end of the row.
    public let inputs: [Int]
    /// Next-token targets [R, T]: each example's labels shifted left by one within the example, so
    /// an example's last input predicts its own last token and never the next example's first;
    /// -100 on the padding.
    public let targets: [Int]
    /// Position of each token inside its own example [R, T], from 0 (the padding run counts from
    /// 0 too, as one more short sequence).
    public let positionIds: [Int]
    /// Which example of its row each position belongs to [R, T]: 0, 1, 2, ... in the row, the
    /// padding run the next number.
    public let sequenceIds: [Int]
    public let shape: [Int]
    /// Positions that hold an example's token (not padding): the same count `collate` gives for
    /// the same examples, so tokens per second compare.
    public let realTokens: Int
    /// The examples of each row, as indices into `pack`'s input, in their order in the row.
    public let rows: [[Int]]

    /// The share of the batch's positions that hold real tokens (1 = no padding at all).
    public var realShare: Double { Double(realTokens) / Double(shape[0] * shape[1]) }
}

// ANCHOR: pack
/// Packs `examples` (inputIds, labels, as `ChatTemplate.example` makes them) into rows of at most
/// `maxLength` positions, the model's context (`config.nPositions`), best fit decreasing as TRL's
/// `packing_strategy="bfd"`: the longest example first, each into the row it fills most tightly
/// (the least room left after it; the first such row on a tie), else into a new row. Long examples
/// placed first leave gaps the short ones fill; in the given order, a long one arriving late opens
/// a row of its own. An example of n tokens takes n - 1 positions, as in `collate`: its last token
/// is only a target. Rows are as long as the longest one; the shorter ones are padded with `padID`
/// and -100 targets.
public func pack(_ examples: [(inputIds: [Int], labels: [Int])], maxLength: Int, padID: Int) -> PackedBatch {
    for (index, e) in examples.enumerated() where e.inputIds.count < 2 || e.inputIds.count - 1 > maxLength || e.labels.count != e.inputIds.count {
        fail("pack: example \(index) has \(e.inputIds.count) ids and \(e.labels.count) labels; it needs 2 to \(maxLength + 1) ids and one label per id")
    }
    var rows: [[Int]] = [], used: [Int] = []
    let longestFirst = examples.indices.sorted { (examples[$0].inputIds.count, $1) > (examples[$1].inputIds.count, $0) }
    for index in longestFirst {
        let n = examples[index].inputIds.count - 1   // positions it takes
        let fits = used.indices.filter { used[$0] + n <= maxLength }
        if let r = fits.min(by: { (maxLength - used[$0], $0) < (maxLength - used[$1], $1) }) {   // best fit
            rows[r].append(index)
            used[r] += n
        } else {
            rows.append([index])
            used.append(n)
        }
    }
    let t = used.max() ?? 0
    var inputs: [Int] = [], targets: [Int] = [], positions: [Int] = [], sequences: [Int] = []
    for (r, row) in rows.enumerated() {
        for (s, index) in row.enumerated() {
            let e = examples[index], n = e.inputIds.count - 1
            inputs += e.inputIds.prefix(n)               // [n]
            targets += e.labels.dropFirst()              // [n], shifted within the example
            positions += 0..<n                           // restart at 0
            sequences += Array(repeating: s, count: n)   // the s-th example of the row
        }
        let pad = t - used[r]
        inputs += Array(repeating: padID, count: pad)
        targets += Array(repeating: ChatTemplate.ignoreIndex, count: pad)
        positions += 0..<pad
        sequences += Array(repeating: row.count, count: pad)
    }
    return PackedBatch(inputs: inputs, targets: targets, positionIds: positions, sequenceIds: sequences,
                       shape: [rows.count, t], realTokens: used.reduce(0, +), rows: rows)
}
// ANCHOR_END: pack

/// The same first `steps` of a fine-tune, padded and then packed: what packing saves (the share of
/// positions that are real tokens) and what a step costs. Same examples, same order: the losses
/// agree to float rounding (Lesson14Tests), so the two runs train the same model.
public func packingTrade(_ base: GPT2LMHeadModel, template: ChatTemplate, examples: [Instruction],
                         settings: FineTuneSettings, steps: Int) -> (padded: FineTuneRun, packed: FineTuneRun) {
    var f = settings
    f.maxSteps = steps
    f.warmupSteps = min(f.warmupSteps, steps)
    f.packing = false
    let padded = fineTune(base, template: template, examples: examples, f)
    f.packing = true
    return (padded, fineTune(base, template: template, examples: examples, f))
}
