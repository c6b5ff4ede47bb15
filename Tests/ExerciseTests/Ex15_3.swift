import Testing
import MiniTorch

/// ex15_3: a ZeRO-1 shard's range (Sources/MiniTorch/Distributed/ZeroRedundancyOptimizer.swift,
/// `shardRange`): equal ranges of ceil(total / worldSize), the last cut at the end.
@Suite("ex15_3: a ZeRO-1 shard's range")
struct Ex15_3 {
    @Test func rangesAreEqualAndCoverTheVectorOnce() {
        #expect((0..<3).map { ZeroRedundancyOptimizer.shardRange(total: 10, rank: $0, worldSize: 3) } == [0..<4, 4..<8, 8..<10])
        #expect((0..<4).map { ZeroRedundancyOptimizer.shardRange(total: 8, rank: $0, worldSize: 4) } == [0..<2, 2..<4, 4..<6, 6..<8])
        #expect((0..<4).map { ZeroRedundancyOptimizer.shardRange(total: 5, rank: $0, worldSize: 4) } == [0..<2, 2..<4, 4..<5, 5..<5])
        for (total, n) in [(1_063_680, 2), (1_063_680, 3), (7, 5)] {
            let ranges = (0..<n).map { ZeroRedundancyOptimizer.shardRange(total: total, rank: $0, worldSize: n) }
            #expect(ranges.first!.lowerBound == 0 && ranges.last!.upperBound == total)
            #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        }
    }
}
