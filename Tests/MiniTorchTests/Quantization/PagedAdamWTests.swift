import Foundation
import Testing
@testable import MiniTorch

@Suite("Paged AdamW")
struct PagedAdamWTests {
    /// Parameters of uneven sizes and a fixed sequence of gradients for them.
    func problem(seed: UInt64) -> (parameters: [Tensor], gradients: [[Tensor]]) {
        let g = Generator(seed: seed)
        let shapes = [[40, 30], [30], [7, 50], [300]]
        let parameters = shapes.map { Tensor.randn($0, generator: g, requiresGrad: true) }
        let gradients = (0..<6).map { _ in shapes.map { Tensor.randn($0, generator: g) } }
        return (parameters, gradients)
    }

    func run(_ optimizer: any Optimizer, _ parameters: [Tensor], _ gradients: [[Tensor]]) {
        for step in gradients {
            for (p, grad) in zip(parameters, step) { p.grad = grad.clone() }
            optimizer.step()
        }
    }

    @Test func makesExactlyAdamWsUpdatesWhilePaging() {
        let (reference, gradients) = problem(seed: 20)
        let paged = reference.map { p -> Tensor in let c = p.clone(); c.requiresGrad = true; return c }
        run(AdamW(parameters: reference, learningRate: 0.01, weightDecay: 0.1), reference, gradients)
        let budget = 6 * 64 * 4    // six pages of 64 floats: far less than the 2 x 2,180 floats of state
        let optimizer = PagedAdamW(parameters: paged, learningRate: 0.01, weightDecay: 0.1, pageSize: 64, budgetBytes: budget)
        run(optimizer, paged, gradients)
        for (a, b) in zip(reference, paged) { #expect(a.scalars == b.scalars) }
        #expect(optimizer.pageOuts > 0 && optimizer.pageIns > 0)
        #expect(optimizer.peakResidentBytes <= budget)
        #expect(optimizer.stateBytes > 4 * budget)
    }

    @Test func theLedgerSeesAtMostTheBudgetOnTheDevice() {
        let (parameters, gradients) = problem(seed: 21)
        let budget = 10 * 32 * 4
        let (optimizer, peak) = MemoryLedger.measure { () -> PagedAdamW in
            let o = PagedAdamW(parameters: parameters, pageSize: 32, budgetBytes: budget)
            for step in gradients {                      // gradients made outside: the ledger counts only state pages
                for (p, grad) in zip(parameters, step) { p.grad = grad }
                o.step()
            }
            return o
        }
        #expect(peak <= budget)
        #expect(peak == optimizer.peakResidentBytes)
        // With room for everything nothing is paged out.
        let roomy = PagedAdamW(parameters: parameters, pageSize: 32, budgetBytes: 1 << 20)
        run(roomy, parameters, gradients)
        #expect(roomy.pageOuts == 0 && roomy.pageIns == 0)
    }

    @Test func stateGathersThePagesWhereverTheyAre() {
        let (reference, gradients) = problem(seed: 22)
        let paged = reference.map { p -> Tensor in let c = p.clone(); c.requiresGrad = true; return c }
        let adamw = AdamW(parameters: reference, learningRate: 0.01)
        run(adamw, reference, gradients)
        let optimizer = PagedAdamW(parameters: paged, learningRate: 0.01, pageSize: 100, budgetBytes: 4 * 100 * 4)
        run(optimizer, paged, gradients)
        for (a, b) in zip(adamw.state, optimizer.state) {
            #expect(a!.step == b!.step)
            #expect(a!.buffers["exp_avg"]!.scalars == b!.buffers["exp_avg"]!.scalars)
            #expect(a!.buffers["exp_avg_sq"]!.scalars == b!.buffers["exp_avg_sq"]!.scalars)
        }
        // Restoring the state and continuing still matches AdamW.
        optimizer.state = adamw.state
        let more = problem(seed: 23).gradients
        run(adamw, reference, more)
        run(optimizer, paged, more)
        for (a, b) in zip(reference, paged) { #expect(a.scalars == b.scalars) }
    }

    @Test func aBudgetBelowTwoPagesStops() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = PagedAdamW(parameters: [Tensor.zeros([10])], pageSize: 64, budgetBytes: 256)
        }.map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(text == "error: PagedAdamW: budgetBytes 256 cannot hold the 2 pages (exp_avg and exp_avg_sq) one update needs at once; use at least 512 or a smaller pageSize\n")
        }
    }
}
