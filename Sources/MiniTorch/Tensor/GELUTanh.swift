import Foundation

extension Tensor {
    /// GPT-2's GELU ("gelu_new", `F.gelu(x, approximate='tanh')`), the fast version of
    /// `gelu(approximate: .tanh)` (Activations.swift) and tested equal to it:
    ///
    ///     GELU(x) = 0.5 x (1 + tanh(u)),   u = sqrt(2/pi) (x + 0.044715 x^3)
    ///
    /// The plain version calls `tanh` forward and again backward; libm's tanhf goes through
    /// expm1f and was a third of a GPT training step. Here tanh(u) = 1 - 2 / (e^{2u} + 1), one
    /// `exp` per element (`vexp`, 16 at a time), computed once and kept for the backward, and
    /// the loops split between threads. (Large |u| is safe: e^{2u} = inf gives 1, 0 gives -1.)
    public func geluTanh() -> Tensor {
        let out = Tensor(uninitializedShape: shape), tanhU = Tensor(uninitializedShape: shape)
        let xp = pointer, op = out.pointer, tp = tanhU.pointer
        Parallel.forChunks(count) { chunk in   // element-wise: any split, the same numbers
            let i = chunk.lowerBound   // t = tanh(u) and 0.5 x (1 + t), 16 at a time (Kernels/VectorExp.swift)
            VectorRows.geluTanh(xp + i, chunk.count, tanh: tp + i, into: op + i)
        }
        let x = detach()
        out.recordBackward("gelu_tanh", from: [self]) { g in
            // d/dx = 0.5 (1 + t) + 0.5 x (1 - t^2) sqrt(2/pi) (1 + 3 * 0.044715 x^2)
            let d = Tensor(uninitializedShape: x.shape)
            let dp = d.pointer, gp = g.pointer, xp = x.pointer, tp = tanhU.pointer
            Parallel.forChunks(d.count) { chunk in
                for i in chunk {
                    let x = xp[i], t = tp[i]
                    let du = 0.7978845608028654 * (1 + 3 * 0.044715 * x * x)
                    dp[i] = gp[i] * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * du)
                }
            }
            return [d]
        }
        return out
    }
}
