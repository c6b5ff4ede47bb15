import CMPI
import Foundation
import MiniTorch

/// A `Communicator` on Open MPI's MPI_COMM_WORLD: one per process started by `mpirun`.
///
/// MPI's errors are set to return (MPI_ERRORS_RETURN), so a failed collective becomes a Swift
/// error with MPI's own message, not an abort with a banner.
public final class MPICommunicator: Communicator {
    public let rank: Int
    public let worldSize: Int
    public private(set) var bytesSent = 0
    /// The all-reduce to use: the MPI library's own (the fast path), or the ring written out here
    /// on point-to-point messages (the algorithm the chapter explains, tested equal).
    public var algorithm: AllReduceAlgorithm = .library
    private var finalized = false

    public enum AllReduceAlgorithm: Sendable { case library, ring }

    /// Starts MPI (MPI_Init). Call once per process, under `mpirun`.
    public init() throws {
        var provided: Int32 = 0
        try Self.check(MPI_Init_thread(nil, nil, Int32(MPI_THREAD_FUNNELED), &provided), "MPI_Init")
        MPI_Comm_set_errhandler(cmpi_comm_world(), cmpi_errors_return())
        var r: Int32 = 0, n: Int32 = 0
        MPI_Comm_rank(cmpi_comm_world(), &r)
        MPI_Comm_size(cmpi_comm_world(), &n)
        (rank, worldSize) = (Int(r), Int(n))
    }

    /// Ends MPI (MPI_Finalize); every rank must call it before exiting normally.
    public func finalize() {
        guard !finalized else { return }
        finalized = true
        MPI_Finalize()
    }

    public func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) throws {
        switch algorithm {
        case .library:
            try Self.check(MPI_Allreduce(cmpi_in_place(), buffer.baseAddress, Int32(buffer.count), cmpi_float(), cmpi_sum(), cmpi_comm_world()), "MPI_Allreduce")
            // Open MPI does not say what travelled; a ring's count is the textbook figure for it.
            bytesSent += ringBytes(buffer.count)
        case .ring:
            try ringAllReduceSum(buffer)
        }
    }

    public func allReduceSum(_ values: [Double]) throws -> [Double] {
        var v = values
        try Self.check(MPI_Allreduce(cmpi_in_place(), &v, Int32(v.count), cmpi_double(), cmpi_sum(), cmpi_comm_world()), "MPI_Allreduce")
        bytesSent += ringBytes(v.count * 2)
        return v
    }

    public func allGather(_ shard: UnsafeBufferPointer<Float>, into result: UnsafeMutableBufferPointer<Float>) throws {
        precondition(result.count == shard.count * worldSize, "allGather: result must hold worldSize shards")
        try Self.check(MPI_Allgather(shard.baseAddress, Int32(shard.count), cmpi_float(), result.baseAddress, Int32(shard.count), cmpi_float(), cmpi_comm_world()), "MPI_Allgather")
        bytesSent += (worldSize - 1) * shard.count * MemoryLayout<Float>.stride   // a ring all-gather passes on N-1 shards
    }

    public func barrier() throws { try Self.check(MPI_Barrier(cmpi_comm_world()), "MPI_Barrier") }

    /// Bytes a rank sends in a ring all-reduce of `count` floats: 2 (N - 1) / N of the buffer.
    func ringBytes(_ count: Int) -> Int { worldSize == 1 ? 0 : 2 * (worldSize - 1) * chunk(count, 0).count * MemoryLayout<Float>.stride }

    /// Chunk `c` of N near-equal chunks of `count` elements.
    func chunk(_ count: Int, _ c: Int) -> Range<Int> {
        let size = (count + worldSize - 1) / worldSize
        return min(count, c * size)..<min(count, (c + 1) * size)
    }

    /// The ring all-reduce (Patarasuk & Yuan 2009; what NCCL and Baidu's ring-allreduce do):
    /// the buffer cut into N chunks; N - 1 reduce-scatter steps, each rank sending one chunk to
    /// its right neighbour and adding the chunk from its left one, leave rank r with the full sum
    /// of chunk r + 1; N - 1 all-gather steps pass the finished chunks round. Each rank sends
    /// 2 (N - 1) chunks of size/N: 2 (N - 1) / N of the buffer whatever N is, which is why the
    /// ring scales. Each chunk is summed by one rank and then copied: all ranks get the same bits.
    // ANCHOR: ring
    public func ringAllReduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) throws {
        let n = worldSize
        guard n > 1 else { return }
        let right = Int32((rank + 1) % n), left = Int32((rank - 1 + n) % n)
        var incoming = [Float](repeating: 0, count: chunk(buffer.count, 0).count)
        for s in 0..<(2 * (n - 1)) {
            let send = chunk(buffer.count, ((rank - s) % n + n) % n)          // the chunk I pass on
            let receive = chunk(buffer.count, ((rank - s - 1) % n + n) % n)   // the chunk my left neighbour passes
            try incoming.withUnsafeMutableBufferPointer { inc in
                try Self.check(MPI_Sendrecv(buffer.baseAddress! + send.lowerBound, Int32(send.count), cmpi_float(), right, 0,
                                            inc.baseAddress, Int32(receive.count), cmpi_float(), left, 0,
                                            cmpi_comm_world(), nil), "MPI_Sendrecv")
            }
            bytesSent += send.count * MemoryLayout<Float>.stride
            for (k, j) in receive.enumerated() {
                if s < n - 1 { buffer[j] += incoming[k] }   // reduce-scatter: add my part
                else { buffer[j] = incoming[k] }            // all-gather: take the finished sum
            }
        }
    }
    // ANCHOR_END: ring

    static func check(_ code: Int32, _ call: String) throws {
        guard code != MPI_SUCCESS else { return }
        var text = [CChar](repeating: 0, count: Int(MPI_MAX_ERROR_STRING) + 1)
        var length: Int32 = 0
        MPI_Error_string(code, &text, &length)
        throw CommunicationError("\(call) failed: \(String(decoding: text.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self))")
    }
}
