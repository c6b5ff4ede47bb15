import Foundation

/// The one random number generator of MiniTorch: xoshiro256** seeded through SplitMix64.
///
/// Integer arithmetic only (no platform `random()`), so a seed gives the same stream on every
/// machine. Every random function takes a generator; `Generator(seed: 42)` is what `--seed 42`
/// builds. Like `torch.Generator` it is a reference: a model and its dropout can share one.
public final class Generator {
    private var state: (UInt64, UInt64, UInt64, UInt64)
    private var spareNormal: Float?

    public init(seed: UInt64) {
        var s = seed
        func splitMix() -> UInt64 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    public convenience init(seed: Int) { self.init(seed: UInt64(bitPattern: Int64(seed))) }

    /// Where the generator is in its stream, as `torch.get_rng_state()`; assigning a saved state
    /// back replays the same draws (gradient checkpointing recomputes dropout masks this way).
    public struct State: Sendable {
        fileprivate let words: (UInt64, UInt64, UInt64, UInt64)
        fileprivate let spareNormal: Float?
    }

    public var rngState: State {
        get { State(words: state, spareNormal: spareNormal) }
        set { (state, spareNormal) = (newValue.words, newValue.spareNormal) }
    }

    /// The next 64 random bits (xoshiro256**).
    public func next() -> UInt64 {
        func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
        let result = rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0; state.3 ^= state.1; state.1 ^= state.2; state.0 ^= state.3
        state.2 ^= t; state.3 = rotl(state.3, 45)
        return result
    }

    /// Uniform in [0, 1) with 24 random bits, exactly representable as a Float.
    public func uniform() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// Uniform in [low, high).
    public func uniform(_ low: Float, _ high: Float) -> Float { low + (high - low) * uniform() }

    /// Uniform integer in 0..<n (Lemire's multiply-shift, unbiased enough for n << 2^32).
    public func int(below n: Int) -> Int {
        precondition(n > 0, "Generator.int(below:) needs n >= 1")
        return Int((UInt64(truncatingIfNeeded: next() >> 32) &* UInt64(n)) >> 32)
    }

    /// Standard normal sample (Box-Muller; the second value of each pair is kept for the next call).
    public func normal() -> Float {
        if let spare = spareNormal { spareNormal = nil; return spare }
        var u1 = Double(next() >> 11) * 0x1p-53
        if u1 < 1e-300 { u1 = 1e-300 }
        let u2 = Double(next() >> 11) * 0x1p-53
        let radius = (-2 * Foundation.log(u1)).squareRoot()
        spareNormal = Float(radius * Foundation.sin(2 * .pi * u2))
        return Float(radius * Foundation.cos(2 * .pi * u2))
    }

    public func normal(mean: Float, std: Float) -> Float { mean + std * normal() }

    /// Fisher-Yates shuffle of 0..<n: the permutation a DataLoader visits in one epoch.
    public func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        var i = n - 1
        while i > 0 { p.swapAt(i, int(below: i + 1)); i -= 1 }
        return p
    }

    /// The generator's state, for checkpoints (restoring it continues the same stream).
    public var snapshot: [UInt64] {
        get { [state.0, state.1, state.2, state.3, spareNormal.map { UInt64($0.bitPattern) | (1 << 32) } ?? 0] }
        set {
            state = (newValue[0], newValue[1], newValue[2], newValue[3])
            spareNormal = newValue[4] == 0 ? nil : Float(bitPattern: UInt32(truncatingIfNeeded: newValue[4]))
        }
    }
}
