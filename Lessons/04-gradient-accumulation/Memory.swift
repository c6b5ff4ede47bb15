import MiniTorch

/// Peak memory of one optimizer step's forward and backward passes at one micro-batch size.
public struct MemoryRow {
    public let microBatchSize: Int
    public let accumulationSteps: Int
    /// Most bytes of tensor storage alive at once while the step's micro-batches ran forward and
    /// backward, as MiniTorch's `MemoryLedger` counted them: activations, their gradients, and the
    /// parameters' `.grad` (the parameters themselves were allocated before and are not in it).
    public let peakBytes: Int
}

/// Runs the same effective batch through `accumulateGradients` at each micro-batch size and
/// measures the peak. Nothing is estimated: every tensor's storage reports itself to the ledger.
public func measurePeakMemory(_ model: NextTokenModel, batch: [TokenSequence], microBatchSizes: [Int]) -> [MemoryRow] {
    microBatchSizes.map { size in
        // ANCHOR: measure
        model.zeroGrad()   // so .grad is allocated inside the measurement, as on a step's first micro-batch
        let micro = microBatches(batch, size: size)
        let (_, peak) = MemoryLedger.measure {
            accumulateGradients(model, microBatches: micro, normalization: .divideByTokens)
        }
        // ANCHOR_END: measure
        model.zeroGrad()
        return MemoryRow(microBatchSize: size, accumulationSteps: micro.count, peakBytes: peak)
    }
}

/// Micro-batch sizes that divide the effective batch evenly, largest first, halving each time
/// (32, 16, 8, 4, 2, 1 for 32).
public func halvingSizes(of effectiveBatch: Int) -> [Int] {
    var sizes: [Int] = [], size = effectiveBatch
    while size >= 1 {
        if effectiveBatch % size == 0 { sizes.append(size) }
        if size % 2 != 0 { break }
        size /= 2
    }
    return sizes.last == 1 ? sizes : sizes + [1]
}

/// Bytes of the parameters, and the same again for their gradients: the part of training memory
/// that does not depend on the batch at all.
public func parameterBytes(_ model: Module) -> Int {
    model.parameterCount() * MemoryLayout<Float>.stride
}
