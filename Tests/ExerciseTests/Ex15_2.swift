import Foundation
import Testing
import MiniTorch

/// ex15_2: the bucketed all-reduce average (Sources/MiniTorch/Distributed/GradientBuckets.swift,
/// `allReduceGradients`). The communicator here stands in for a second rank whose gradients are
/// known: its all-reduce adds them, and counts the calls.
@Suite("ex15_2: the bucketed all-reduce average")
struct Ex15_2 {
    /// A world of two in one process: the other rank's flat buckets, in the order they are asked for.
    final class OtherRank: Communicator {
        var buckets: [[Float]]
        var calls = 0
        init(_ buckets: [[Float]]) { self.buckets = buckets }
        var rank: Int { 0 }
        var worldSize: Int { 2 }
        var bytesSent: Int { 0 }
        func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) throws {
            let other = buckets[calls]
            #expect(other.count == buffer.count, "bucket \(calls) has \(buffer.count) floats, expected \(other.count)")
            for j in 0..<min(other.count, buffer.count) { buffer[j] += other[j] }
            calls += 1
        }
        func allReduceSum(_ values: [Double]) throws -> [Double] { values }
        func allGather(_ shard: UnsafeBufferPointer<Float>, into result: UnsafeMutableBufferPointer<Float>) throws {}
        func barrier() throws {}
    }

    @Test func everyGradientBecomesTheAverageOverTwoRanks() throws {
        // Buckets of at most 4 floats (cap 16 bytes): [c, b] = 1 + 3 floats, then [a] = 4.
        let a = Tensor([0, 0, 0, 0], requiresGrad: true), b = Tensor([0, 0, 0], requiresGrad: true), c = Tensor([0], requiresGrad: true)
        a.grad = Tensor([1, 2, 3, 4]); b.grad = Tensor([10, 20, 30])   // c has no gradient: zeros
        let other = OtherRank([[5, 2, 4, 6], [3, 2, 1, 0]])                // the other rank's [c, b], then [a]
        let buckets = GradientBuckets(parameters: [a, b, c], communicator: other, bucketCapMB: 16 / 1_048_576)
        #expect(buckets.buckets == [[2, 1], [0]])
        try buckets.allReduceGradients()
        #expect(other.calls == 2, "one all-reduce per bucket")
        #expect(a.grad!.scalars == [2, 2, 2, 2])
        #expect(b.grad!.scalars == [6, 12, 18])
        #expect(c.grad!.scalars == [2.5])
    }
}
