import Foundation

/// AdamW whose state lives in fixed-size pages that move between the device and a host pool,
/// after bitsandbytes' paged optimizers (`bnb.optim.PagedAdamW`, `--optim paged_adamw_32bit`).
///
/// bitsandbytes allocates optimizer state in CUDA unified memory: when the GPU runs short, the
/// driver evicts pages to CPU RAM and brings them back when the optimizer touches them, so a
/// memory spike slows training down instead of stopping it. Here the same idea is spelled out:
///
/// - each state buffer (`exp_avg`, `exp_avg_sq`) of each parameter is cut into pages of
///   `pageSize` floats;
/// - a page is either on the device (a `Storage`, so the memory ledger counts it) or in the host
///   pool (a Swift array, not counted, as CPU RAM is not GPU memory);
/// - before a page is used it is paged in; if that would take the device over `budgetBytes`,
///   the least recently used pages are paged out first.
///
/// The arithmetic is exactly AdamW's (`Adam.step` with decoupled decay), page by page, so the
/// updates are identical; only where the state sits differs.
public final class PagedAdamW: Optimizer {
    public var learningRate: Float
    public let parameters: [Tensor]
    public let betas: (Float, Float)
    public let eps: Float
    public let weightDecay: Float
    /// Floats a page holds.
    public let pageSize: Int
    /// Most bytes of state allowed on the device at once.
    public let budgetBytes: Int

    /// Pages moved host -> device, and device -> host.
    public private(set) var pageIns = 0
    public private(set) var pageOuts = 0
    /// Bytes of state on the device now, and the most there has been.
    public private(set) var residentBytes = 0
    public private(set) var peakResidentBytes = 0

    /// One page of one state buffer: on the device or in the host pool, never both.
    final class Page {
        var device: Storage?
        var host: [Float]?
        var lastUse = 0
        init() {}
    }

    private var steps: [Int]
    private var expAvg: [[Page]]
    private var expAvgSq: [[Page]]
    private var clock = 0
    private var resident: [ObjectIdentifier: Page] = [:]

    public init(parameters: [Tensor], learningRate: Float = 1e-3, betas: (Float, Float) = (0.9, 0.999),
                eps: Float = 1e-8, weightDecay: Float = 0.01, pageSize: Int = 4096, budgetBytes: Int) {
        if learningRate < 0 { fail("PagedAdamW: learningRate must not be negative (got \(learningRate))") }
        if !(0..<1).contains(betas.0) || !(0..<1).contains(betas.1) {
            fail("PagedAdamW: betas must be in [0, 1) (got \(betas.0), \(betas.1))")
        }
        if pageSize < 1 { fail("PagedAdamW: pageSize must be at least 1 (got \(pageSize))") }
        let pageBytes = pageSize * MemoryLayout<Float>.stride
        if budgetBytes < 2 * pageBytes {
            fail("PagedAdamW: budgetBytes \(budgetBytes) cannot hold the 2 pages (exp_avg and exp_avg_sq) one update needs at once; use at least \(2 * pageBytes) or a smaller pageSize")
        }
        self.learningRate = learningRate
        self.parameters = parameters
        self.betas = betas
        self.eps = eps
        self.weightDecay = weightDecay
        self.pageSize = pageSize
        self.budgetBytes = budgetBytes
        steps = Array(repeating: 0, count: parameters.count)
        expAvg = Array(repeating: [], count: parameters.count)
        expAvgSq = Array(repeating: [], count: parameters.count)
    }

    public var pageBytes: Int { pageSize * MemoryLayout<Float>.stride }

    /// All state bytes, on the device and in the host pool.
    public var stateBytes: Int { (expAvg.joined().count + expAvgSq.joined().count) * pageBytes }

    // ANCHOR: paging
    /// Makes `page` resident, paging out least recently used pages (never those in `pinned`)
    /// until it fits under the budget.
    private func touch(_ page: Page, pinned: [Page]) -> UnsafeMutablePointer<Float> {
        clock += 1
        page.lastUse = clock
        if let device = page.device { return device.pointer }
        while residentBytes + pageBytes > budgetBytes {
            let victim = resident.values
                .filter { v in !pinned.contains { $0 === v } }
                .min { $0.lastUse < $1.lastUse }!
            victim.host = Array(victim.device!.buffer)          // device -> host
            victim.device = nil
            resident[ObjectIdentifier(victim)] = nil
            residentBytes -= pageBytes
            pageOuts += 1
        }
        let storage = Storage(count: pageSize)
        if let host = page.host {                                // host -> device
            host.withUnsafeBufferPointer { storage.pointer.update(from: $0.baseAddress!, count: pageSize) }
            page.host = nil
            pageIns += 1
        } else {                                                 // first use: fresh zeros
            storage.pointer.update(repeating: 0, count: pageSize)
        }
        page.device = storage
        resident[ObjectIdentifier(page)] = page
        residentBytes += pageBytes
        peakResidentBytes = Swift.max(peakResidentBytes, residentBytes)
        return storage.pointer
    }
    // ANCHOR_END: paging

    public func step() {
        for (i, param, grad) in updatable(parameters) {
            if expAvg[i].isEmpty {
                let pages = (param.count + pageSize - 1) / pageSize
                expAvg[i] = (0..<pages).map { _ in Page() }
                expAvgSq[i] = (0..<pages).map { _ in Page() }
            }
            steps[i] += 1
            let update = AdamUpdate(step: steps[i], learningRate: learningRate, betas: betas, eps: eps,
                                    weightDecay: weightDecay, decoupled: true)
            for page in 0..<expAvg[i].count {
                let (mPage, vPage) = (expAvg[i][page], expAvgSq[i][page])
                let m = touch(mPage, pinned: [mPage, vPage]), v = touch(vPage, pinned: [mPage, vPage])
                let start = page * pageSize
                // AdamW on this page's elements; m and v are the page's own, counted from 0.
                update.apply(param.pointer + start, grad.pointer + start, m, v, 0..<Swift.min(pageSize, param.count - start))
            }
        }
    }

    /// The state as whole tensors (copies gathered from the pages, wherever they are), for
    /// checkpoints; setting it scatters the values back into pages in the host pool.
    public var state: [ParameterState?] {
        get {
            parameters.indices.map { i in
                guard !expAvg[i].isEmpty else { return nil }
                return ParameterState(step: steps[i], buffers: ["exp_avg": gather(expAvg[i], shape: parameters[i].shape),
                                                                "exp_avg_sq": gather(expAvgSq[i], shape: parameters[i].shape)])
            }
        }
        set {
            for page in resident.values { page.device = nil }
            resident = [:]
            residentBytes = 0
            for (i, s) in newValue.enumerated() where i < parameters.count {
                steps[i] = s?.step ?? 0
                expAvg[i] = s.map { scatter($0.buffers["exp_avg"]!) } ?? []
                expAvgSq[i] = s.map { scatter($0.buffers["exp_avg_sq"]!) } ?? []
            }
        }
    }

    private func gather(_ pages: [Page], shape: [Int]) -> Tensor {
        let t = Tensor.zeros(shape)
        for (k, page) in pages.enumerated() {
            let n = Swift.min(pageSize, t.count - k * pageSize)
            if let device = page.device {
                (t.pointer + k * pageSize).update(from: device.pointer, count: n)
            } else if let host = page.host {
                host.withUnsafeBufferPointer { (t.pointer + k * pageSize).update(from: $0.baseAddress!, count: n) }
            }
        }
        return t
    }

    private func scatter(_ t: Tensor) -> [Page] {
        stride(from: 0, to: t.count, by: pageSize).map { start in
            let page = Page()
            var host = [Float](repeating: 0, count: pageSize)
            for j in 0..<Swift.min(pageSize, t.count - start) { host[j] = t.pointer[start + j] }
            page.host = host
            return page
        }
    }
}
