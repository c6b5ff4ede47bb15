import Foundation

/// DistributedDataParallel's gradient synchronisation: after `backward()` every rank holds the
/// gradient of its own micro-batch; this turns it into the average over the ranks, so the same
/// optimizer step on every rank keeps the copies of the model identical.
///
/// As PyTorch's DDP (torch/nn/parallel/distributed.py, the C++ Reducer), gradients travel in
/// buckets: the parameters in reverse order of `model.parameters()` (roughly the order backward
/// produces their gradients), packed into flat buffers of at most `bucketCapMB` megabytes
/// (DDP's default is 25), one all-reduce (sum) per bucket, then divided by the world size (DDP
/// averages). Few large messages instead of one per tensor: each message pays a fixed latency.
/// DDP launches a bucket's all-reduce as soon as its last gradient is ready, overlapping
/// communication with the rest of backward; here the buckets go after backward, so the time in
/// all-reduce adds to the step (the lesson measures it). A parameter without a gradient (unused
/// this step) counts as zeros, as DDP with `find_unused_parameters=True` marks it ready.
public final class GradientBuckets {
    public let parameters: [Tensor]
    /// Each bucket: indices into `parameters`, in the order packed.
    public let buckets: [[Int]]
    public let communicator: Communicator
    private var buffers: [[Float]]
    /// Seconds spent in all-reduce since the start (for the compute/communication split).
    public private(set) var communicationSeconds = 0.0

    public init(parameters: [Tensor], communicator: Communicator, bucketCapMB: Double = 25) {
        self.parameters = parameters
        self.communicator = communicator
        let cap = max(1, Int(bucketCapMB * 1_048_576) / MemoryLayout<Float>.stride)
        var buckets: [[Int]] = [], current: [Int] = [], size = 0
        for i in parameters.indices.reversed() {
            if size > 0 && size + parameters[i].count > cap { buckets.append(current); (current, size) = ([], 0) }
            current.append(i)
            size += parameters[i].count
        }
        if !current.isEmpty { buckets.append(current) }
        self.buckets = buckets
        buffers = buckets.map { [Float](repeating: 0, count: $0.reduce(0) { $0 + parameters[$1].count }) }
    }

    /// Gradient bytes one step all-reduces (every parameter's, in float32).
    public var gradientBytes: Int { parameters.reduce(0) { $0 + $1.count } * MemoryLayout<Float>.stride }

    /// Sums every parameter's gradient over the ranks and divides by the world size.
    // ANCHOR: allreduce
    public func allReduceGradients() throws {
        // BEGIN SOLUTION ex15_2
        let worldSize = Float(communicator.worldSize)
        for (b, bucket) in buckets.enumerated() {
            try buffers[b].withUnsafeMutableBufferPointer { flat in
                var offset = 0
                for i in bucket {                                   // pack: grads -> flat bucket
                    let p = parameters[i], n = p.count
                    if let g = p.grad { (flat.baseAddress! + offset).update(from: g.pointer, count: n) }
                    else { (flat.baseAddress! + offset).update(repeating: 0, count: n) }
                    offset += n
                }
                let start = Date()
                try communicator.allReduceSum(flat)                 // every rank: the sum over ranks
                communicationSeconds += Date().timeIntervalSince(start)
                offset = 0
                for i in bucket {                                   // unpack, as the average
                    let p = parameters[i], n = p.count
                    if p.grad == nil { p.grad = Tensor.zeros(p.shape) }
                    let g = p.grad!.pointer
                    for j in 0..<n { g[j] = flat[offset + j] / worldSize }
                    offset += n
                }
            }
        }
        // END SOLUTION
    }
    // ANCHOR_END: allreduce
}
