import Foundation

/// Attention for packed rows: several short examples laid end to end in one row of [B, T], each
/// attending only to itself, so the row gives every example the numbers it would get alone.
///
/// Padding a batch of short examples to the longest wastes the compute of every padding position.
/// Packing fills a row with whole examples instead, and two things keep them apart, as in Hugging
/// Face's padding-free training (transformers, `DataCollatorWithFlattening` in
/// data/data_collator.py: `position_ids` restart with `range(len(input_ids))` for each example,
/// `seq_idx` numbers the examples; masking_utils.py: `find_packed_sequence_indices` turns the
/// position ids into those numbers and `and_masks(causal_mask_function,
/// packed_sequence_mask_function(...))` lets query i see key j only if j <= i and
/// `packed_sequence_mask[b, i] == packed_sequence_mask[b, j]`):
///
///   - position ids restart at 0 for each example, so its tokens read the same rows of `wpe` as
///     when it stands alone (GPT-2 adds `wpe(position_ids)`);
///   - the attention mask is block-diagonal causal: key j is hidden from query i if it comes after
///     i or belongs to another example.
///
/// Sequence ids name the examples: positions with the same id in a row are one example, and each
/// example is one contiguous run of its row (ids 0 0 0 1 1 2 2 2, not 0 1 0).

/// Where each position's example begins: entry b*T + i is the first position of the run of
/// position i's sequence id in row b. Stops with a message if the ids do not fill [B, T] or an id
/// comes back after another one (an example split in two).
public func packedSequenceStarts(_ sequenceIds: [Int], batch: Int, length: Int) -> [Int] {
    if sequenceIds.count != batch * length {
        fail("packed attention: \(sequenceIds.count) sequence ids do not fill [B, T] = \(show([batch, length]))")
    }
    var starts = [Int](repeating: 0, count: sequenceIds.count)
    for b in 0..<batch {
        var seen = Set<Int>(), first = 0
        for i in 0..<length {
            let id = sequenceIds[b * length + i]
            if i > 0 && id != sequenceIds[b * length + i - 1] {
                if seen.contains(id) {
                    fail("packed attention: sequence id \(id) comes back at position \(i) of row \(b); each example must be one contiguous run of its row")
                }
                first = i
            }
            seen.insert(id)
            starts[b * length + i] = first
        }
    }
    return starts
}

/// The block-diagonal causal mask, [B, 1, T, T]: entry (b, 0, i, j) is 1 where key j is hidden
/// from query i, because it comes after i (the causal mask) or belongs to another example of row b.
/// The size-1 axis broadcasts over the heads of scores [B, nh, T, T], as the 4D masks Hugging
/// Face builds for eager attention do.
public func packedCausalMask(_ sequenceIds: [Int], batch: Int, length t: Int) -> Tensor {
    let starts = packedSequenceStarts(sequenceIds, batch: batch, length: t)
    let mask = Tensor.ones([batch, 1, t, t])
    for b in 0..<batch {
        for i in 0..<t {
            let row = mask.pointer + (b * t + i) * t
            for j in starts[b * t + i]...i { row[j] = 0 }   // keys of the same example, up to i
        }
    }
    return mask
}
