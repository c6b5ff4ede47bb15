import Foundation

extension Tensor {
    /// Element-wise natural logarithm, as `torch.log` (log 0 = -inf, negative -> nan, as PyTorch).
    public func log() -> Tensor {
        let out = map { Foundation.log($0) }
        let x = detach()
        out.recordBackward("log", from: [self]) { g in [g / x] }   // d log x / dx = 1 / x
        return out
    }
}
