import Foundation

extension Tensor {
    /// Element-wise e^x, as `torch.exp`. Its derivative is itself, so backward reuses the output.
    public func exp() -> Tensor {
        let out = map { Foundation.exp($0) }
        let y = out.detach()
        out.recordBackward("exp", from: [self]) { g in [g * y] }   // dL/dx = dL/dy * e^x
        return out
    }
}
