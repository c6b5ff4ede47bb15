import Testing
import MiniTorch

/// ex15_1: a rank's shard of the epoch, as torch.utils.data.DistributedSampler
/// (Sources/MiniTorch/Distributed/DistributedSampler.swift, `indices`).
@Suite("ex15_1: DistributedSampler's shards")
struct Ex15_1 {
    @Test func paddedFromTheStartWithoutShuffle() {
        let shards = (0..<3).map { DistributedSampler(count: 10, numReplicas: 3, rank: $0, shuffle: false).indices() }
        #expect(shards == [[0, 3, 6, 9], [1, 4, 7, 0], [2, 5, 8, 1]])
        #expect(DistributedSampler(count: 5, numReplicas: 8, rank: 7, shuffle: false).indices() == [2])   // padded past n
    }

    @Test func dropLastCutsTheTail() {
        let shards = (0..<4).map { DistributedSampler(count: 11, numReplicas: 4, rank: $0, shuffle: false, dropLast: true).indices() }
        #expect(shards == [[0, 4], [1, 5], [2, 6], [3, 7]])
    }

    @Test func shuffledShardsAreOnePermutationReseededPerEpoch() {
        func shards(_ epoch: Int) -> [[Int]] {
            (0..<3).map { r in
                var s = DistributedSampler(count: 30, numReplicas: 3, rank: r, seed: 5)
                s.setEpoch(epoch)
                return s.indices()
            }
        }
        let permutation = Generator(seed: 5).permutation(30)
        #expect(shards(0)[1] == stride(from: 1, to: 30, by: 3).map { permutation[$0] })
        #expect(shards(2)[0] == stride(from: 0, to: 30, by: 3).map { Generator(seed: 7).permutation(30)[$0] })   // seed + epoch
        #expect(Set(shards(1).flatMap { $0 }) == Set(0..<30))
    }
}
