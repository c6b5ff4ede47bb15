import Testing
@testable import MiniTorch

/// The free list of small storage buffers (Tensor/Storage.swift), on its own instance so that
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
        p.deallocate()
    }

    @Test func theLongestWaitingBufferLeavesWhenAllPlacesAreTaken() {
        let cache = RecycledBuffers()
        let buffers = (0...RecycledBuffers.capacity).map { _ in UnsafeMutablePointer<Float>.allocate(capacity: 8) }
        for (i, p) in buffers.enumerated() { #expect(cache.keep(p, count: 8 + i)) }
        #expect(cache.take(count: 8) == nil)   // the first one kept was freed to make room
        for (i, p) in buffers.enumerated().dropFirst() {
            #expect(cache.take(count: 8 + i) == p)
            p.deallocate()
        }
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
