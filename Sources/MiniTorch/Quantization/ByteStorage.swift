/// A buffer of bytes counted by the same `MemoryLedger` as tensor storage.
///
/// Quantised weights are not Float32: two 4-bit codes share one byte, and double quantisation
/// keeps its constants as 8-bit codes. Holding them here, instead of in Swift arrays, lets
/// `MemoryLedger.measure {}` see what a 4-bit model really occupies.
public final class ByteStorage: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<UInt8>
    public let count: Int
    private let ledger: MemoryLedger

    /// `count` bytes, all zero.
    public init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: Swift.max(count, 1))
        pointer.initialize(repeating: 0, count: Swift.max(count, 1))
        ledger = MemoryLedger.forAllocation
        ledger.allocated(bytes: count)
    }

    deinit {
        ledger.freed(bytes: count)
        pointer.deallocate()
    }

    /// The bytes, for tests and printing.
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}
