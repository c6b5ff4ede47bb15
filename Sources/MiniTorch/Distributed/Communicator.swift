import Foundation

/// What data-parallel training asks of the processes it runs on, as `torch.distributed` offers
/// it: a rank, a world size and the collectives. MiniTorch's distributed algorithms (gradient
/// buckets, ZeRO) are written against this protocol; MiniTorchMPI implements it with Open MPI,
/// and `SingleProcess` is the world of one, where every collective is the identity.
public protocol Communicator: AnyObject {
    /// This process's index, 0 ..< worldSize (torchrun's RANK).
    var rank: Int { get }
    /// How many processes train together (torchrun's WORLD_SIZE).
    var worldSize: Int { get }
    /// Replaces `buffer` on every rank by the element-wise sum over the ranks (`dist.all_reduce`
    /// with ReduceOp.SUM).
    func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) throws
    /// Sums doubles over the ranks (token counts, losses: few numbers, kept exact).
    func allReduceSum(_ values: [Double]) throws -> [Double]
    /// Every rank's `shard` (all of the same length), concatenated in rank order, on every rank
    /// (`dist.all_gather_into_tensor`).
    func allGather(_ shard: UnsafeBufferPointer<Float>, into result: UnsafeMutableBufferPointer<Float>) throws
    /// Waits until every rank has arrived.
    func barrier() throws
    /// Bytes this rank has sent so far (what the network carried for it).
    var bytesSent: Int { get }
}

/// The world of one process: nothing to add, nothing to send.
public final class SingleProcess: Communicator {
    public init() {}
    public var rank: Int { 0 }
    public var worldSize: Int { 1 }
    public func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) throws {}
    public func allReduceSum(_ values: [Double]) throws -> [Double] { values }
    public func allGather(_ shard: UnsafeBufferPointer<Float>, into result: UnsafeMutableBufferPointer<Float>) throws {
        precondition(result.count == shard.count, "allGather: one rank: result must hold the shard")
        _ = result.initialize(from: shard)
    }
    public func barrier() throws {}
    public var bytesSent: Int { 0 }
}

/// A collective that failed: which one and what the library said.
public struct CommunicationError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
