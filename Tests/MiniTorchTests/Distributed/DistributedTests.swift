import Foundation
import Testing
@testable import MiniTorch

// The data-parallel machinery in one process. The collectives across real processes (MPI) are
// tested by running lesson 15 under mpirun (LessonTests/Lesson15Tests).
@Suite("Distributed: sampler, gradient buckets, ZeRO-1")
struct DistributedTests {
    /// torch.utils.data.DistributedSampler(range(10), num_replicas=3, shuffle=False): the
    /// indices padded from the start to 12, then every third one from the rank.
    @Test func samplerPadsFromTheStartLikePyTorch() {
        let shards = (0..<3).map { DistributedSampler(count: 10, numReplicas: 3, rank: $0, shuffle: false).indices() }
        #expect(shards == [[0, 3, 6, 9], [1, 4, 7, 0], [2, 5, 8, 1]])
        let s = DistributedSampler(count: 10, numReplicas: 3, rank: 0, shuffle: false)
        #expect(s.numSamples == 4 && s.totalSize == 12)
    }

    /// drop_last=True: num_samples = ceil((10 - 3) / 3) = 3; the last index is never read.
    @Test func samplerDropLastCutsTheTail() {
        let shards = (0..<3).map { DistributedSampler(count: 10, numReplicas: 3, rank: $0, shuffle: false, dropLast: true).indices() }
        #expect(shards == [[0, 3, 6], [1, 4, 7], [2, 5, 8]])
        #expect(DistributedSampler(count: 9, numReplicas: 3, rank: 0, dropLast: true).numSamples == 3)   // divisible: nothing dropped
    }

    /// Shuffled: the ranks' shards are disjoint and cover the dataset (one permutation, the same
    /// seed everywhere); set_epoch gives a new order; a rank with another seed overlaps the others.
    @Test func samplerShardsOnePermutationPerEpoch() {
        func shards(epoch: Int, seeds: [Int] = [7, 7]) -> [[Int]] {
            (0..<2).map { r in
                var s = DistributedSampler(count: 100, numReplicas: 2, rank: r, seed: seeds[r])
                s.setEpoch(epoch)
                return s.indices()
            }
        }
        let e0 = shards(epoch: 0), e1 = shards(epoch: 1)
        #expect(Set(e0[0]).isDisjoint(with: e0[1]) && Set(e0[0] + e0[1]) == Set(0..<100))
        #expect(e0 == shards(epoch: 0))   // same seed and epoch: the same shards
        #expect(e0[0] != e1[0] && Set(e1[0] + e1[1]) == Set(0..<100))
        let buggy = shards(epoch: 0, seeds: [7, 8])   // the bug museum: ranks seeded differently
        #expect(!Set(buggy[0]).isDisjoint(with: buggy[1]))
    }

    @Test func zeroShardRangesCoverTheVectorOnce() {
        #expect((0..<3).map { ZeroRedundancyOptimizer.shardRange(total: 10, rank: $0, worldSize: 3) } == [0..<4, 4..<8, 8..<10])
        #expect((0..<3).map { ZeroRedundancyOptimizer.shardRange(total: 2, rank: $0, worldSize: 3) } == [0..<1, 1..<2, 2..<2])
        #expect(ZeroRedundancyOptimizer.shardRange(total: 7, rank: 0, worldSize: 1) == 0..<7)
    }

    /// DDP's buckets: parameters in reverse order, a new bucket when the next one would pass the cap.
    @Test func bucketsTakeParametersInReverseUpToTheCap() throws {
        let ps = [Tensor.zeros([100_000]), Tensor.zeros([200_000]), Tensor.zeros([50_000]), Tensor.zeros([10])]
        let buckets = GradientBuckets(parameters: ps, communicator: SingleProcess(), bucketCapMB: 1)   // 262,144 floats
        #expect(buckets.buckets == [[3, 2, 1], [0]])   // 250,010 floats fit; 100,000 more would not
        #expect(buckets.gradientBytes == 350_010 * 4)
    }

    /// In a world of one the average is the gradient itself; a parameter without a gradient gets zeros.
    @Test func averagingInAWorldOfOneKeepsTheGradient() throws {
        let a = Tensor([1, 2, 3], requiresGrad: true), b = Tensor([4, 5], requiresGrad: true)
        a.grad = Tensor([0.5, -1, 2])
        try GradientBuckets(parameters: [a, b], communicator: SingleProcess()).allReduceGradients()
        #expect(a.grad!.scalars == [0.5, -1, 2])
        #expect(b.grad!.scalars == [0, 0])
    }

    /// ZeRO-1 in a world of one is AdamW: the same bits after a few steps, decay groups included.
    @Test func zeroStepEqualsAdamWBitForBit() throws {
        func parameters() -> [Tensor] {
            let g = Generator(seed: 3)
            return [Tensor.randn([4, 5], generator: g, requiresGrad: true), Tensor.randn([5], generator: g, requiresGrad: true)]
        }
        let (p, q) = (parameters(), parameters())
        let adam = ParameterGroups([AdamW(parameters: [p[0]], learningRate: 0.01, betas: (0.9, 0.95), weightDecay: 0.1),
                                    AdamW(parameters: [p[1]], learningRate: 0.01, betas: (0.9, 0.95), weightDecay: 0)])
        let zero = ZeroRedundancyOptimizer(groups: [([q[0]], 0.1), ([q[1]], 0)], learningRate: 0.01, betas: (0.9, 0.95), communicator: SingleProcess())
        let g = Generator(seed: 4)
        for _ in 0..<3 {
            let grads = [Tensor.randn([4, 5], generator: g), Tensor.randn([5], generator: g)]
            for i in 0..<2 { p[i].grad = grads[i].clone(); q[i].grad = grads[i].clone() }
            adam.step()
            try zero.step()
        }
        for i in 0..<2 { #expect(p[i].scalars.map(\.bitPattern) == q[i].scalars.map(\.bitPattern)) }
        #expect(zero.stateBytes == adam.stateBytes)
    }
}
