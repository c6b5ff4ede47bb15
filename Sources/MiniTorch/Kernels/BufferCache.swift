import Synchronization

// Speeds up: allocating and freeing tensor storage (Storage.init / deinit).
// Must equal: `UnsafeMutablePointer<Float>.allocate(capacity:)` and `deallocate()`; tensors never
// read memory they did not write, so where a buffer comes from changes no number.

/// Where `Storage` gets its buffers and returns them: small ones through `RecycledBuffers`, all
/// others through malloc, which `keepFreedMemory` tunes once.
enum BufferCache {
    static func allocate(count: Int) -> UnsafeMutablePointer<Float> {
        _ = keepFreedMemory
        return recycled.take(count: count) ?? .allocate(capacity: Swift.max(count, 1))
    }

    static func deallocate(_ pointer: UnsafeMutablePointer<Float>, count: Int) {
        if !recycled.keep(pointer, count: count) { pointer.deallocate() }
    }

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

    /// Small freed buffers, waiting for the next storage of their size.
    static let recycled = RecycledBuffers()
}

/// Freed buffers of small tensors, handed to the next storage of the same element count.
///
/// Small products are where allocation shows: a 64 x 64 matmul takes ~6 µs, and glibc's
/// malloc and free of its 16 KiB output (blocks above 1 KiB come from its general bins, under
/// the arena's lock) cost ~50 ns of it. A model makes the same shapes again and again, so the
/// buffer a tensor just released is usually what the next one of its size needs.
///
/// The cache is 64 slots of one buffer each, and an element count always hashes to the same
/// slot, so taking or keeping a buffer is one atomic exchange (no lock, any thread): a freed
/// buffer replaces the one its slot held, and a waiting buffer records its own element count
/// in its first 8 bytes. Only buffers up to 64 KiB are kept (4 MiB at most); larger tensors
/// take long enough to fill that their allocation is lost in the noise. The ledger counts live
/// tensors, so a buffer waiting here is already counted as freed.
final class RecycledBuffers: @unchecked Sendable {   // the slots are only touched atomically
    static let maxCount = 16_384   // elements: 64 KiB
    static let slotCount = 64
    /// Each slot holds the address of a waiting buffer, or 0.
    private let slots: UnsafeMutablePointer<Atomic<UInt>>

    init() {
        slots = .allocate(capacity: Self.slotCount)
        for i in 0..<Self.slotCount { (slots + i).initialize(to: Atomic(0)) }
    }

    deinit {   // only the tests' own caches end; the storages' one lives as long as the process
        for i in 0..<Self.slotCount {
            UnsafeMutablePointer<Float>(bitPattern: slots[i].exchange(0, ordering: .acquiring))?.deallocate()
        }
        slots.deinitialize(count: Self.slotCount)
        slots.deallocate()
    }

    /// The slot of buffers with `count` elements (Fibonacci hashing: nearby counts spread out).
    func slot(_ count: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(count) &* 0x9E37_79B9_7F4A_7C15) >> 58)   // 0..<64
    }

    /// A waiting buffer of exactly `count` elements, if there is one.
    func take(count: Int) -> UnsafeMutablePointer<Float>? {
        if count > Self.maxCount || count < 2 { return nil }
        let i = slot(count)
        guard let buffer = UnsafeMutableRawPointer(bitPattern: slots[i].exchange(0, ordering: .acquiringAndReleasing)) else {
            return nil
        }
        if buffer.load(as: Int.self) == count { return buffer.assumingMemoryBound(to: Float.self) }
        // Another size that hashes here: put it back, unless a newer buffer took the slot meanwhile.
        if !slots[i].compareExchange(expected: 0, desired: UInt(bitPattern: buffer), ordering: .acquiringAndReleasing).exchanged {
            buffer.deallocate()
        }
        return nil
    }

    /// Keeps `pointer` for a later `take` (false: too large or too small, the caller frees it).
    /// The buffer it displaces, if any, goes back to malloc.
    func keep(_ pointer: UnsafeMutablePointer<Float>, count: Int) -> Bool {
        if count > Self.maxCount || count < 2 { return false }
        UnsafeMutableRawPointer(pointer).storeBytes(of: count, as: Int.self)
        let displaced = slots[slot(count)].exchange(UInt(bitPattern: pointer), ordering: .acquiringAndReleasing)
        UnsafeMutablePointer<Float>(bitPattern: displaced)?.deallocate()
        return true
    }
}

#if os(Linux)
/// glibc's `int mallopt(int param, int value)`.
@_silgen_name("mallopt")
private func mallopt(_ param: Int32, _ value: Int32) -> Int32
#endif
