/// A tensor's memory: one contiguous buffer of Float32, counted by the memory ledger so lessons
/// can show measured bytes instead of estimates. Several tensors may share one storage
/// (`detach()`, `reshape`), which is why it is a class.
public final class Storage: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int
    private let ledger: MemoryLedger

    public init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: Swift.max(count, 1))
        ledger = MemoryLedger.current
        ledger.allocated(bytes: count * MemoryLayout<Float>.stride)
    }

    deinit {
        ledger.freed(bytes: count * MemoryLayout<Float>.stride)
        pointer.deallocate()
    }

    public var buffer: UnsafeMutableBufferPointer<Float> { .init(start: pointer, count: count) }
}
