import Dispatch

// Speeds up: element-wise and row-wise loops (GELU, LayerNorm, cross-entropy, AdamW, softmax backward).
// Must equal: the same loop on one thread, bit for bit (each chunk writes its own outputs).

/// Loops that share their work between threads, as ATen's `at::parallel_for(begin, end,
/// grain_size, f)`: 0..<count is cut into one contiguous chunk per thread, and each chunk runs
/// on its own thread. A chunk writes only its own elements (or rows, or columns) and no sum is
/// split between chunks, so results are the same bit for bit with one thread or two.
///
/// The thread count follows OpenBLAS's (`BLAS.setThreads`): one setting for the whole step, and
/// the lessons' `BLAS.setThreads(1)` keeps every loop on the calling thread. A loop with less
/// than `grain` elements of work per thread stays on one: waking a thread costs microseconds.
///
/// The chunks run outside the caller's task, where the task-locals (the memory ledger's scope,
/// `noGrad`) are not set, so a body must not create tensors: allocate first, then fill.
enum Parallel {
    /// ATen's default grain (`at::internal::GRAIN_SIZE`): 32,768 elements of cheap work.
    static let grain = 32_768

    /// Tests compare one thread with two inside `$threadsOverride.withValue(n) { ... }`: a task
    /// local, so the tests running beside them keep their own count. 0: `BLAS.threads`.
    @TaskLocal static var threadsOverride = 0

    static var threads: Int { threadsOverride > 0 ? threadsOverride : BLAS.threads }

    /// Calls `body` on chunks that together cover 0..<count, each unit of work being `cost`
    /// elements (a row's length, say): concurrently when every thread gets at least `grain`.
    static func forChunks(_ count: Int, cost: Int = 1, _ body: (Range<Int>) -> Void) {
        let chunks = Swift.min(threads, count * cost / grain, count)
        if chunks <= 1 {
            body(0..<count)
            return
        }
        // Dispatch wants a Sendable closure; `body` is not one (it captures raw pointers), but
        // its chunks touch disjoint memory and all of them end before this call returns.
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let body = body
            DispatchQueue.concurrentPerform(iterations: chunks) { i in
                body((count * i / chunks)..<(count * (i + 1) / chunks))
            }
        }
    }
}
