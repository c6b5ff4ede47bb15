import Synchronization

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
        pointer = Storage.recycled.take(count: count) ?? .allocate(capacity: Swift.max(count, 1))
        ledger = MemoryLedger.forAllocation
        ledger.allocated(bytes: count * MemoryLayout<Float>.stride)
    }

    deinit {
        ledger.freed(bytes: count * MemoryLayout<Float>.stride)
        if !Storage.recycled.keep(pointer, count: count) { pointer.deallocate() }
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

    static let recycled = RecycledBuffers()
}

/// Freed buffers of small tensors, handed to the next storage of the same element count.
///
/// Small products are where allocation shows: a 64 x 64 matmul takes ~6 µs, and glibc's
/// malloc and free of its 16 KiB output (blocks above 1 KiB come from its general bins, under
/// the arena's lock) cost ~50 ns of it. A model makes the same shapes again and again, so the
/// buffer a tensor just released is usually what the next one of its size needs. Only buffers
/// up to 64 KiB are kept, at most 32 of them (2 MiB in all); larger tensors take long enough
/// to fill that their allocation is lost in the noise. The ledger counts live tensors, so a
/// buffer waiting here is already counted as freed.
final class RecycledBuffers: Sendable {
    static let maxCount = 16_384   // elements: 64 KiB
    static let capacity = 32
    /// (element count, address) of each waiting buffer, most recently freed last.
    private let buffers: Mutex<[(count: Int, address: UInt)]> = {
        var empty: [(count: Int, address: UInt)] = []
        empty.reserveCapacity(RecycledBuffers.capacity)
        return Mutex(empty)
    }()

    /// A waiting buffer of exactly `count` elements, if there is one.
    func take(count: Int) -> UnsafeMutablePointer<Float>? {
        if count > Self.maxCount || count < 1 { return nil }
        let address = buffers.withLock { buffers -> UInt in
            var i = buffers.count - 1
            while i >= 0 && buffers[i].count != count { i -= 1 }
            if i < 0 { return 0 }
            let found = buffers[i].address
            buffers[i] = buffers[buffers.count - 1]   // the last fills the gap
            buffers.removeLast()
            return found
        }
        return UnsafeMutablePointer(bitPattern: address)
    }

    /// Keeps `pointer` for a later `take` (false: too large, the caller frees it). When all
    /// places are taken, the buffer that has waited longest goes back to malloc.
    func keep(_ pointer: UnsafeMutablePointer<Float>, count: Int) -> Bool {
        if count > Self.maxCount || count < 1 { return false }
        let evicted = buffers.withLock { buffers -> UInt in
            let oldest = buffers.count == Self.capacity ? buffers.removeFirst().address : 0
            buffers.append((count, UInt(bitPattern: pointer)))
            return oldest
        }
        UnsafeMutablePointer<Float>(bitPattern: evicted)?.deallocate()
        return true
    }
}

#if os(Linux)
/// glibc's `int mallopt(int param, int value)`.
@_silgen_name("mallopt")
private func mallopt(_ param: Int32, _ value: Int32) -> Int32
#endif
