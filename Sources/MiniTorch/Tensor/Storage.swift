/// A tensor's memory: one contiguous buffer of Float32, counted by the memory ledger so lessons
/// can show measured bytes instead of estimates. Several tensors may share one storage
/// (`detach()`, `reshape`), which is why it is a class.
///
/// Where the buffer comes from and goes back to is machinery (Kernels/BufferCache.swift): a
/// plain `allocate` and `deallocate` would give the same tensors, only more slowly.
public final class Storage: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int
    private let ledger: MemoryLedger

    public init(count: Int) {
        self.count = count
        pointer = BufferCache.allocate(count: count)
        ledger = MemoryLedger.forAllocation
        ledger.allocated(bytes: count * MemoryLayout<Float>.stride)
    }

    deinit {
        ledger.freed(bytes: count * MemoryLayout<Float>.stride)
        BufferCache.deallocate(pointer, count: count)
    }

    public var buffer: UnsafeMutableBufferPointer<Float> { .init(start: pointer, count: count) }
}
