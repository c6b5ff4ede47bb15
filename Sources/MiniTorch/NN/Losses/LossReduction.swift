/// How a loss turns per-element losses into its result, as PyTorch's `reduction=` argument.
public enum Reduction: String, Sendable {
    /// The average (for cross-entropy: weighted by class weight, over non-ignored targets).
    case mean
    /// The total.
    case sum
    /// One loss per element, unreduced.
    case none
}
