import Foundation

/// ZeRO stage 1 (Rajbhandari et al., "ZeRO: Memory Optimizations Toward Training Trillion
/// Parameter Models", 2020; DeepSpeed's `zero_optimization.stage: 1`): AdamW whose state is
/// sharded across the ranks. The parameters, seen as one flat vector padded to a multiple of the
/// world size, are cut into `worldSize` equal ranges; rank r keeps exp_avg and exp_avg_sq for its
/// range only and updates only those weights, then an all-gather hands every rank the whole
/// updated vector. Adam is element-wise, so each weight gets the very same arithmetic as in an
/// unsharded AdamW (the same `AdamUpdate`): the same bits, with 1/worldSize of the state memory,
/// for one extra all-gather of the weights per step.
///
/// The gradients arrive already averaged (by `GradientBuckets`), as in DeepSpeed's stage 1 with
/// its all-reduce; a reduce-scatter would move half as much but then the gradient-norm clipping
/// needs one more reduction of partial norms.
public final class ZeroRedundancyOptimizer {
    public let parameters: [Tensor]
    /// Each parameter's weight decay (AdamW's groups: 0 for biases and LayerNorms).
    public let weightDecays: [Float]
    public var learningRate: Float
    public let betas: (Float, Float)
    public let eps: Float
    public let communicator: Communicator
    /// Where each parameter starts in the flat vector.
    public let offsets: [Int]
    /// This rank's range of the flat vector.
    public let shard: Range<Int>
    private var expAvg: [Float], expAvgSq: [Float]
    private var stepCount = 0
    private var flat: [Float]
    public private(set) var communicationSeconds = 0.0

    public init(groups: [(parameters: [Tensor], weightDecay: Float)], learningRate: Float, betas: (Float, Float) = (0.9, 0.999),
                eps: Float = 1e-8, communicator: Communicator) {
        parameters = groups.flatMap(\.parameters)
        weightDecays = groups.flatMap { g in g.parameters.map { _ in g.weightDecay } }
        (self.learningRate, self.betas, self.eps, self.communicator) = (learningRate, betas, eps, communicator)
        var offsets: [Int] = [], total = 0
        for p in parameters { offsets.append(total); total += p.count }
        self.offsets = offsets
        shard = Self.shardRange(total: total, rank: communicator.rank, worldSize: communicator.worldSize)
        expAvg = [Float](repeating: 0, count: shard.count)
        expAvgSq = expAvg
        let padded = (total + communicator.worldSize - 1) / communicator.worldSize   // every rank's slot in the gather
        flat = [Float](repeating: 0, count: padded * communicator.worldSize)
    }

    /// Rank `rank`'s range of a flat vector of `total` numbers: equal ranges of
    /// ceil(total / worldSize), the last one cut at `total` (DeepSpeed pads the flat buffer to a
    /// multiple of the world size the same way).
    // ANCHOR: shard
    public static func shardRange(total: Int, rank: Int, worldSize: Int) -> Range<Int> {
        // BEGIN SOLUTION ex15_3
        let size = (total + worldSize - 1) / worldSize
        let start = min(total, rank * size)
        return start..<min(total, start + size)
        // END SOLUTION
    }
    // ANCHOR_END: shard

    /// Bytes of optimizer state this rank holds (exp_avg and exp_avg_sq of its shard).
    public var stateBytes: Int { 2 * shard.count * MemoryLayout<Float>.stride }

    public func zeroGrad() { for p in parameters { p.zeroGrad() } }

    /// AdamW on this rank's shard, then the weights gathered from every rank.
    // ANCHOR: step
    public func step() throws {
        stepCount += 1
        for (i, p) in parameters.enumerated() {
            let range = offsets[i]..<(offsets[i] + p.count)
            let mine = range.clamped(to: shard)                      // this parameter's part of my shard
            guard !mine.isEmpty, let g = p.grad else { continue }
            let update = AdamUpdate(step: stepCount, learningRate: learningRate, betas: betas, eps: eps,
                                    weightDecay: weightDecays[i], decoupled: true)
            let local = (mine.lowerBound - offsets[i])..<(mine.upperBound - offsets[i])
            expAvg.withUnsafeMutableBufferPointer { m in
                expAvgSq.withUnsafeMutableBufferPointer { v in
                    // state pointers shifted so that index j of the parameter is its slot in the shard
                    let shift = offsets[i] - shard.lowerBound
                    update.apply(p.pointer, g.pointer, m.baseAddress! + shift, v.baseAddress! + shift, local)
                }
            }
        }
        // Every rank contributes its updated range; afterwards each holds all the weights.
        var mine = [Float](repeating: 0, count: flat.count / communicator.worldSize)
        for (i, p) in parameters.enumerated() {
            let range = (offsets[i]..<(offsets[i] + p.count)).clamped(to: shard)
            for j in range { mine[j - shard.lowerBound] = p.pointer[j - offsets[i]] }
        }
        let start = Date()
        let communicator = self.communicator
        try mine.withUnsafeBufferPointer { s in try flat.withUnsafeMutableBufferPointer { f in try communicator.allGather(s, into: f) } }
        communicationSeconds += Date().timeIntervalSince(start)
        for (i, p) in parameters.enumerated() {
            for j in 0..<p.count { p.pointer[j] = flat[offsets[i] + j] }
        }
    }
    // ANCHOR_END: step
}
