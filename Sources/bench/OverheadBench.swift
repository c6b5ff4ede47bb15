import Foundation
import MiniTorch

/// What one small op pays besides its arithmetic: the pieces measured separately, in
/// nanoseconds per call, so a change to any of them shows up here first.
extension Report {
    mutating func overhead(quick: Bool) {
        let calls = quick ? 20_000 : 200_000
        func perCall(_ body: () -> Void) -> Double {
            median(repeats: 5) { for _ in 0..<calls { body() } } / Double(calls) * 1e9
        }
        table("Per-op overhead (ns per call, median of 5 x \(calls) calls)", ["what", "ns"])
        var sink = 0
        let entries: [(String, String, () -> Void)] = [
            ("malloc + free of 16 KiB (a 64 x 64 tensor's storage)", "overhead_malloc_ns", {
                let p = UnsafeMutablePointer<Float>.allocate(capacity: 4096); sink &+= Int(bitPattern: p); p.deallocate()
            }),
            ("read Autograd.isEnabled (task-local)", "overhead_autograd_flag_ns", { sink &+= Autograd.isEnabled ? 1 : 0 }),
            ("read MemoryLedger.current (task-local)", "overhead_ledger_lookup_ns", { sink &+= MemoryLedger.current === MemoryLedger.global ? 1 : 0 }),
            ("Tensor(uninitializedShape: [64, 64]) and its release", "overhead_tensor_ns", {
                let t = Tensor(uninitializedShape: [64, 64]); sink &+= t.count
            }),
            ("noGrad { } scope (binds the task-local)", "overhead_nograd_scope_ns", { noGrad { sink &+= 1 } }),
        ]
        for (name, key, body) in entries {
            let ns = perCall(body)
            row([name, fmt(ns, 1)])
            json[key] = ns
        }
        if sink == 42 { print("") }   // keeps the loops from being optimised away
        print()
    }
}
