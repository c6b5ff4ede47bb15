/// A tensor's memory: one contiguous buffer of Float32, counted by the memory ledger so lessons
/// can show measured bytes instead of estimates. Several tensors may share one storage
/// (`detach()`, `reshape`), which is why it is a class.
public final class Storage: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int
    private let ledger: MemoryLedger

    public init(count: Int) {
        _ = Storage.keepFreedMemory
        self.count = count
        pointer = .allocate(capacity: Swift.max(count, 1))
        ledger = MemoryLedger.forAllocation
        ledger.allocated(bytes: count * MemoryLayout<Float>.stride)
    }

    deinit {
        ledger.freed(bytes: count * MemoryLayout<Float>.stride)
        pointer.deallocate()
    }

    public var buffer: UnsafeMutableBufferPointer<Float> { .init(start: pointer, count: count) }

    /// A training step frees and reallocates the same large buffers every time (activations,
    /// gradients, logits). By default glibc hands blocks above 128 KiB-32 MiB straight back to
    /// the kernel, so every step pays page faults to zero fresh pages (perf showed ~5% of a
    /// step in the kernel). Raising both thresholds keeps freed blocks in the heap for reuse,
    /// which is what PyTorch's caching allocators do on purpose.
    private static let keepFreedMemory: Bool = {
        #if os(Linux)
        _ = mallopt(-3, 1 << 30)   // M_MMAP_THRESHOLD (malloc.h, which Swift's Glibc module leaves out)
        _ = mallopt(-1, 1 << 30)   // M_TRIM_THRESHOLD
        #endif
        return true
    }()
}

#if os(Linux)
/// glibc's `int mallopt(int param, int value)`.
@_silgen_name("mallopt")
private func mallopt(_ param: Int32, _ value: Int32) -> Int32
#endif
