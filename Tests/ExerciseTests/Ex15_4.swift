import Testing
import MiniTorch
import DataParallel

/// ex15_4 (bug museum): ranks that shuffle with different seeds (Lessons/15-data-parallel/Shards.swift,
/// `ShardedBatches.init`). Every rank must draw the same permutation; otherwise the shards
/// overlap, some windows are read twice per epoch and others never.
@Suite("ex15_4: every rank shuffles with the same seed")
struct Ex15_4 {
    @Test func theRanksShardsArePiecesOfOnePermutation() {
        let data = WindowDataset(Array(0..<(64 * 40 + 1)), context: 64)   // 40 windows
        let streams = (0..<2).map { ShardedBatches(data, rank: $0, worldSize: 2, batchSize: 4, seed: 11) }
        #expect(streams.map(\.sampler.seed) == [11, 11])
        let shards = streams.map { $0.sampler.indices() }
        #expect(Set(shards[0]).isDisjoint(with: shards[1]))
        #expect(Set(shards[0] + shards[1]) == Set(0..<40))
        #expect(streams.map(\.sampler.rank) == [0, 1])
    }
}
