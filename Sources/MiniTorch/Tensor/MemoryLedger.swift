import Synchronization

/// Counts the bytes of live tensor storage and the peak since the last reset.
///
/// Storage records into `MemoryLedger.current`, a task-local, so a lesson or a test can measure
/// its own work (`MemoryLedger.measure { ... }`) even while other tests run in parallel.
/// Anything allocated outside such a scope lands in `MemoryLedger.global`.
public final class MemoryLedger: Sendable {
    private struct Counts { var live = 0; var peak = 0 }
    private let counts = Mutex(Counts())
    private let parent: MemoryLedger?

    public init(parent: MemoryLedger? = nil) { self.parent = parent }

    public static let global = MemoryLedger()
    @TaskLocal public static var current: MemoryLedger = .global

    /// Bytes of tensor storage alive right now.
    public var liveBytes: Int { counts.withLock { $0.live } }
    /// The most bytes alive at once since creation or the last `resetPeak()`.
    public var peakBytes: Int { counts.withLock { $0.peak } }
    /// Starts a new peak from what is alive now.
    public func resetPeak() { counts.withLock { $0.peak = $0.live } }

    func allocated(bytes: Int) {
        counts.withLock { c in c.live += bytes; c.peak = Swift.max(c.peak, c.live) }
        parent?.allocated(bytes: bytes)
    }

    func freed(bytes: Int) {
        counts.withLock { $0.live -= bytes }
        parent?.freed(bytes: bytes)
    }

    /// Runs `body` with a fresh ledger and returns its result with the peak bytes of tensor
    /// storage allocated inside (storage that outlives the scope still counts while it lives).
    public static func measure<T>(_ body: () throws -> T) rethrows -> (result: T, peakBytes: Int) {
        let ledger = MemoryLedger(parent: current)
        let result = try $current.withValue(ledger) { try body() }
        return (result, ledger.peakBytes)
    }
}
