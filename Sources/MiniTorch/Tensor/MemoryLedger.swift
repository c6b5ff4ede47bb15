import Synchronization

/// Counts the bytes of live tensor storage and the peak since the last reset.
///
/// Storage records into `MemoryLedger.current`, a task-local, so a lesson or a test can measure
/// its own work (`MemoryLedger.measure { ... }`) even while other tests run in parallel.
/// Anything allocated outside such a scope lands in `MemoryLedger.global`.
///
/// Every tensor allocation and release passes through here, so the counters are atomics rather
/// than a lock, and the task-local is only looked up while some `measure` scope is open
/// (`make bench` shows both costs per call).
public final class MemoryLedger: Sendable {
    private let live = Atomic<Int>(0)
    private let peak = Atomic<Int>(0)
    private let parent: MemoryLedger?

    public init(parent: MemoryLedger? = nil) { self.parent = parent }

    public static let global = MemoryLedger()
    @TaskLocal public static var current: MemoryLedger = .global
    /// How many `measure` scopes are open in the whole process; 0 means `current` is `global`.
    private static let openScopes = Atomic<Int>(0)

    /// The ledger new storage records into: `current`, without the task-local lookup when no
    /// scope is open anywhere.
    static var forAllocation: MemoryLedger {
        openScopes.load(ordering: .relaxed) == 0 ? global : current
    }

    /// Bytes of tensor storage alive right now.
    public var liveBytes: Int { live.load(ordering: .relaxed) }
    /// The most bytes alive at once since creation or the last `resetPeak()`.
    public var peakBytes: Int { peak.load(ordering: .relaxed) }
    /// Starts a new peak from what is alive now.
    public func resetPeak() { peak.store(live.load(ordering: .relaxed), ordering: .relaxed) }

    func allocated(bytes: Int) {
        let now = live.wrappingAdd(bytes, ordering: .relaxed).newValue
        _ = peak.max(now, ordering: .relaxed)
        parent?.allocated(bytes: bytes)
    }

    func freed(bytes: Int) {
        live.wrappingSubtract(bytes, ordering: .relaxed)
        parent?.freed(bytes: bytes)
    }

    /// Runs `body` with a fresh ledger and returns its result with the peak bytes of tensor
    /// storage allocated inside (storage that outlives the scope still counts while it lives).
    public static func measure<T>(_ body: () throws -> T) rethrows -> (result: T, peakBytes: Int) {
        let ledger = MemoryLedger(parent: current)
        openScopes.wrappingAdd(1, ordering: .sequentiallyConsistent)
        defer { openScopes.wrappingSubtract(1, ordering: .sequentiallyConsistent) }
        let result = try $current.withValue(ledger) { try body() }
        return (result, ledger.peakBytes)
    }
}
