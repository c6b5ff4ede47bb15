/// BPE training that stays fast on real corpora: the same merges as `trainPlain`, without
/// re-counting.
///
/// Pairs are counted once. Each pair also remembers which words contain it, so a merge visits only
/// those words, and each visited word takes its old pairs off the counts and adds its new ones. The
/// next pair comes from a max-heap of (count, pair); counts only fall for pairs already in the heap
/// (new pairs, which hold the new token, are pushed fresh), so a popped entry whose count is out of
/// date is pushed back with the right count, and the first up-to-date entry is the true best pair.
/// This is the scheme of the `tokenizers` BpeTrainer (`trainer.rs`: `pair_counts`,
/// `where_to_update`, a `BinaryHeap` of `Merge`), with its tie-break.
extension BPETrainer {
    /// Learns the merges `trainPlain` learns, in far less time.
    public static func train(_ corpus: WordCounts, vocabSize: Int, minFrequency: Int = 0) -> BPEMerges {
        var result = BPEMerges.bytesOnly
        var index = Dictionary(uniqueKeysWithValues: result.tokens.enumerated().map { ($1, $0) })

        // Words in one flat array; a word shrinks in place as merges join its symbols.
        var symbols: [Int32] = []
        var start: [Int] = [], length: [Int] = []
        symbols.reserveCapacity(corpus.words.reduce(0) { $0 + $1.count })
        for word in corpus.words {
            start.append(symbols.count)
            length.append(word.count)
            symbols.append(contentsOf: word.map(Int32.init))
        }
        let counts = corpus.counts

        var pairCounts: [UInt64: Int] = [:]
        var wordsWith: [UInt64: [Int32]] = [:]
        for w in corpus.words.indices where length[w] > 1 {
            for k in start[w]..<(start[w] + length[w] - 1) {
                let key = pairKey(symbols[k], symbols[k + 1])
                pairCounts[key, default: 0] += counts[w]
                if wordsWith[key]?.last != Int32(w) { wordsWith[key, default: []].append(Int32(w)) }
            }
        }
        var heap = PairHeap()
        for (key, count) in pairCounts where count > 0 { heap.push(count: count, key: key) }

        var visited = [Int](repeating: -1, count: corpus.words.count)
        var created = Set<UInt64>()
        while result.tokens.count < vocabSize {
            guard let top = heap.pop() else { break }
            let current = pairCounts[top.key] ?? 0
            if top.count != current {
                if current > 0 { heap.push(count: current, key: top.key) }   // out of date: back in
                continue
            }
            if current < max(1, minFrequency) { break }
            let a = Int32(truncatingIfNeeded: top.key >> 32), b = Int32(truncatingIfNeeded: top.key & 0xFFFF_FFFF)
            let step = result.merges.count
            let token = Int32(result.append(left: Int(a), right: Int(b), count: current, index: &index))

            created.removeAll(keepingCapacity: true)
            // ANCHOR: incremental
            for w32 in wordsWith.removeValue(forKey: top.key) ?? [] {
                let w = Int(w32)
                if visited[w] == step { continue }
                visited[w] = step
                let s = start[w], n = length[w], count = counts[w]
                var found = false
                for k in s..<(s + n - 1) where symbols[k] == a && symbols[k + 1] == b { found = true; break }
                if !found { continue }   // an earlier merge already used these symbols
                for k in s..<(s + n - 1) { pairCounts[pairKey(symbols[k], symbols[k + 1])]! -= count }
                var read = s, write = s
                while read < s + n {
                    if read + 1 < s + n, symbols[read] == a, symbols[read + 1] == b {
                        symbols[write] = token
                        read += 2
                    } else {
                        symbols[write] = symbols[read]
                        read += 1
                    }
                    write += 1
                }
                let m = write - s
                length[w] = m
                if m < 2 { continue }
                for k in s..<(s + m - 1) {
                    let key = pairKey(symbols[k], symbols[k + 1])
                    pairCounts[key, default: 0] += count
                    if symbols[k] == token || symbols[k + 1] == token {
                        created.insert(key)
                        if wordsWith[key]?.last != w32 { wordsWith[key, default: []].append(w32) }
                    }
                }
            }
            // ANCHOR_END: incremental
            for key in created { if let count = pairCounts[key], count > 0 { heap.push(count: count, key: key) } }
        }
        return result
    }

    /// Two token ids in one integer whose order is the tie-break's: left id, then right id.
    @inline(__always)
    static func pairKey(_ left: Int32, _ right: Int32) -> UInt64 { UInt64(UInt32(left)) << 32 | UInt64(UInt32(right)) }
}

/// A binary max-heap of (count, pair): higher count first, then the smaller pair.
struct PairHeap {
    private var items: [(count: Int, key: UInt64)] = []

    @inline(__always)
    private static func above(_ x: (count: Int, key: UInt64), _ y: (count: Int, key: UInt64)) -> Bool {
        x.count != y.count ? x.count > y.count : x.key < y.key
    }

    mutating func push(count: Int, key: UInt64) {
        items.append((count, key))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if !Self.above(items[i], items[parent]) { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> (count: Int, key: UInt64)? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if items.isEmpty { return top }
        items[0] = last
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var best = i
            if l < items.count, Self.above(items[l], items[best]) { best = l }
            if r < items.count, Self.above(items[r], items[best]) { best = r }
            if best == i { break }
            items.swapAt(i, best)
            i = best
        }
        return top
    }
}
