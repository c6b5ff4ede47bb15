import Testing
@testable import MiniTorch

/// The cache of small storage buffers (Kernels/BufferCache.swift), on its own instance so that
/// tests running in parallel cannot take each other's buffers.
@Suite("Recycled storage buffers")
struct RecycledBuffersTests {
    @Test func aKeptBufferServesTheNextRequestOfItsSizeOnly() {
        let cache = RecycledBuffers()
        let p = UnsafeMutablePointer<Float>.allocate(capacity: 407)
        #expect(cache.keep(p, count: 407))
        #expect(cache.take(count: 406) == nil)
        #expect(cache.take(count: 407) == p)
        #expect(cache.take(count: 407) == nil)   // handed out once
        p.deallocate()
    }

    @Test func largeBuffersGoBackToMalloc() {
        let cache = RecycledBuffers()
        let p = UnsafeMutablePointer<Float>.allocate(capacity: RecycledBuffers.maxCount + 1)
        #expect(!cache.keep(p, count: RecycledBuffers.maxCount + 1))
        #expect(cache.take(count: RecycledBuffers.maxCount + 1) == nil)
        #expect(!cache.keep(p, count: 1))   // too small to hold its own element count
        p.deallocate()
    }

    @Test func aFreedBufferReplacesTheOneItsSlotHeld() {
        let cache = RecycledBuffers()
        let older = UnsafeMutablePointer<Float>.allocate(capacity: 407)
        let newer = UnsafeMutablePointer<Float>.allocate(capacity: 407)
        #expect(cache.keep(older, count: 407) && cache.keep(newer, count: 407))   // `older` goes back to malloc
        #expect(cache.take(count: 407) == newer)
        #expect(cache.take(count: 407) == nil)
        newer.deallocate()
    }

    /// Two sizes that share a slot: asking for one leaves the other's buffer waiting there.
    @Test func anotherSizeInTheSlotStaysForItsOwnSize() {
        let cache = RecycledBuffers()
        let other = (408...RecycledBuffers.maxCount).first { cache.slot($0) == cache.slot(407) }!
        let p = UnsafeMutablePointer<Float>.allocate(capacity: other)
        #expect(cache.keep(p, count: other))
        #expect(cache.take(count: 407) == nil)
        #expect(cache.take(count: other) == p)
        p.deallocate()
        let slots = Set((2...RecycledBuffers.maxCount).map(cache.slot))
        #expect(slots == Set(0..<RecycledBuffers.slotCount))   // every slot is used by some size
    }

    /// The ledger counts live tensors: a recycled buffer is freed storage until a tensor takes it.
    @Test func theLedgerCountsTensorsNotTheCache() {
        let (live, peak) = MemoryLedger.measure { () -> Int in
            for _ in 0..<3 { _ = Tensor.zeros([25, 40]) }   // 4,000 bytes, freed each time
            let kept = Tensor.zeros([1000])
            return withExtendedLifetime(kept) { MemoryLedger.current.liveBytes }
        }
        #expect(live == 4000)
        #expect(peak == 4000)
    }
}
