import Foundation
import Testing
@testable import MiniTorch

/// The vectorised exponential and row loops (Kernels/VectorExp.swift) against glibc's `expf`
/// and the plain scalar loops they replace.
@Suite("Vector exp")
struct VectorExpTests {
    /// e^x for each x, 16 at a time through `vexp`.
    static func vectorExp(_ xs: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: xs.count)
        xs.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                _ = VectorRows.sumExp(x.baseAddress!, xs.count, shift: 0, terms: o.baseAddress!)   // the terms e^(x - 0)
            }
        }
        return out
    }

    @Test func withinOneUlpOfExpfEverywhere() {
        // Every 1/1024 from -110 to 90, so both ends (subnormal results, overflow) are covered.
        let xs = (-110 * 1024...90 * 1024).map { Float($0) / 1024 }
        let fast = Self.vectorExp(xs)
        var worst: Float = 0
        for (x, y) in zip(xs, fast) {
            let e = Foundation.exp(x)
            if e.isInfinite || e == 0 { #expect(y == e, "e^\(x): \(y), expf \(e)"); continue }
            if e < .leastNormalMagnitude {   // subnormal: absolute error of a couple of the smallest steps
                #expect(abs(y - e) <= 2 * .leastNonzeroMagnitude, "e^\(x): \(y), expf \(e)")
                continue
            }
            worst = max(worst, abs(y - e) / e.ulp)
        }
        #expect(worst <= 1, "worst error \(worst) ulp")
    }

    @Test func specialValues() {
        let y = Self.vectorExp([0, 1, -1, .infinity, -.infinity, .nan, 88.72, 88.73, -87.4, -104, -200])
        #expect(y[0] == 1 && y[1] == Foundation.exp(Float(1)) && y[2] == Foundation.exp(Float(-1)))
        #expect(y[3] == .infinity && y[4] == 0 && y[5].isNaN)
        #expect(y[6] == Foundation.exp(Float(88.72)) && y[7] == .infinity)
        #expect(y[8] == Foundation.exp(Float(-87.4)) && y[9] == 0 && y[10] == 0)
    }

    /// Row lengths below, at and above 16, and a vocabulary's: tails take the padded path.
    @Test(arguments: [1, 5, 16, 17, 40, 64, 2048])
    func rowLoopsEqualTheScalarLoops(_ count: Int) {
        let row = Tensor.randn([count], generator: Generator(seed: UInt64(count))) * 4
        let x = row.pointer
        var m = -Float.infinity
        for j in 0..<count { m = Swift.max(m, x[j]) }
        #expect(VectorRows.max(x, count) == m)   // a maximum does not depend on the order

        let scale: Float = 0.7, shift = m * scale
        var plainSum = 0.0   // in double precision: a float loop over 2,048 terms is itself off by ~1e-6
        var plainTerms = [Float](repeating: 0, count: count)
        for j in 0..<count { plainTerms[j] = Foundation.exp(x[j] * scale - shift); plainSum += Double(plainTerms[j]) }
        let terms = Tensor(uninitializedShape: [count])
        let sum = VectorRows.sumExp(x, count, scale: scale, shift: shift, terms: terms.pointer)
        #expect(abs(Double(sum) - plainSum) <= 1e-6 * plainSum, "sum \(sum) vs \(plainSum)")
        for j in 0..<count { #expect(abs(terms.pointer[j] - plainTerms[j]) <= 1.2e-7 * plainTerms[j]) }
    }

    @Test func aNaNInARowReachesItsSum() {
        let row: [Float] = [1, 2, .nan, 3] + [Float](repeating: 0, count: 20)
        row.withUnsafeBufferPointer { x in
            let m = VectorRows.max(x.baseAddress!, row.count)
            #expect(m == 3)
            #expect(VectorRows.sumExp(x.baseAddress!, row.count, shift: m).isNaN)
        }
    }
}

/// Adam's vectorised update (Kernels/AdamVector.swift) against the plain loop, bit for bit.
@Suite("Adam vector update")
struct AdamVectorTests {
    @Test(arguments: [false, true])
    func equalsThePlainLoopBitForBit(_ decoupled: Bool) {
        let n = 16 * 70 + 7   // a tail for the plain loop too
        let g = Generator(seed: 9)
        let grad = Tensor.randn([n], generator: g)
        let start = (Tensor.randn([n], generator: g), Tensor.randn([n], generator: g) * 0.1,
                     (Tensor.randn([n], generator: g) * 0.01).abs())
        let plain = (start.0.clone(), start.1.clone(), start.2.clone())
        let fast = (start.0.clone(), start.1.clone(), start.2.clone())
        for step in 1...3 {
            let update = AdamUpdate(step: step, learningRate: 1e-3, betas: (0.9, 0.95), eps: 1e-8,
                                    weightDecay: 0.1, decoupled: decoupled)
            update.apply(plain.0.pointer, grad.pointer, plain.1.pointer, plain.2.pointer, 0..<n)
            update.applyVectorized(fast.0.pointer, grad.pointer, fast.1.pointer, fast.2.pointer, 0..<n)
        }
        #expect(plain.0.scalars == fast.0.scalars)
        #expect(plain.1.scalars == fast.1.scalars)
        #expect(plain.2.scalars == fast.2.scalars)
    }
}
