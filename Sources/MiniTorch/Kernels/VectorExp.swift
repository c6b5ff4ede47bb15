// Speeds up: e^x in GPT-2's causal attention softmax and GELU's tanh, 16 floats at a time.
// Must equal: `Foundation.exp` (glibc's expf) within 1 ulp on every float, and the plain loops of
// those ops within 1e-6 (VectorExpTests; the loops' sums run in 16 lanes, so in another order).

/// e^x for 16 floats at once: Cephes' `expf`, written with SIMD types so the compiler emits
/// vector instructions. glibc's expf is one call per element and keeps the loops around it from
/// vectorising. (Cross-entropy keeps glibc's expf and its one-by-one sums: the chapters of the
/// lessons before GPT quote numbers of training runs that depend on them to the last bit.)
///
///     n = round(x / ln 2),  r = x - n ln 2  (|r| <= ln 2 / 2),  e^x = 2^n e^r
///
/// e^r is a degree-7 polynomial (Cephes' coefficients, error below 1 ulp on that interval), and
/// 2^n is built from its bits: as two factors 2^(n/2) 2^(n - n/2), so results from the largest
/// float (x ~ 88.72) down to the subnormals (x ~ -103.9) come out right without special cases.
/// Above that e^x is +inf, below 0; NaN stays NaN. Element-wise, so the same on any thread.
@inline(__always)
func vexp(_ x: SIMD16<Float>) -> SIMD16<Float> {
    let lo = SIMD16<Float>(repeating: -104), hi = SIMD16<Float>(repeating: 88.72284)
    // `replacing(with:where:)`, not `clamped` or `pointwiseMin`, which compile lane by lane.
    let clamped = x.replacing(with: lo, where: x .< lo).replacing(with: hi, where: x .> hi)
    let magic = SIMD16<Float>(repeating: 12_582_912)               // 1.5 x 2^23: adding it rounds to an integer
    let shifted = clamped * 1.442695040888963 + magic             // magic + n
    let n = shifted - magic
    let r = clamped - n * 0.693359375 - n * -2.12194440e-4        // ln 2 in two parts; the first times n is exact
    var p = 1.9875691500e-4 * r + 1.3981999507e-3
    p = p * r + 8.3334519073e-3
    p = p * r + 4.1665795894e-2
    p = p * r + 1.6666665459e-1
    p = p * r + 5.0000001201e-1
    p = p * (r * r) + r + 1                                       // e^r
    let ni = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000   // n, from the low bits of magic + n
    let half = ni &>> 1
    let scale1 = unsafeBitCast((half &+ 127) &<< 23, to: SIMD16<Float>.self)        // 2^(n/2)
    let scale2 = unsafeBitCast((ni &- half &+ 127) &<< 23, to: SIMD16<Float>.self)  // 2^(n - n/2)
    return (p * scale1 * scale2).replacing(with: .infinity, where: x .> hi)
}

/// Loops over float rows 16 at a time. A row's last partial vector is copied into a padded
/// 16-float buffer first (padding that leaves the result unchanged: -inf for maxima and sums of
/// exponentials, e^-inf = 0), so every element goes through the same vector code. The loops are
/// written out in each function, not passed as closures: the debug build (-O, file by file)
/// inlines nothing across files and would call a closure per vector.
enum VectorRows {
    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
    }

    @inline(__always)
    static func store(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
    }

    /// p[0 ..< count] (count < 16) in a vector, the other lanes `padding`.
    @inline(__always)
    static func loadTail(_ p: UnsafePointer<Float>, _ count: Int, padding: Float) -> SIMD16<Float> {
        var v = SIMD16<Float>(repeating: padding)
        withUnsafeMutableBytes(of: &v) { $0.baseAddress!.assumingMemoryBound(to: Float.self).update(from: p, count: count) }
        return v
    }

    /// The first `count` lanes of v to p.
    @inline(__always)
    static func storeTail(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>, _ count: Int) {
        withUnsafeBytes(of: v) { p.update(from: $0.baseAddress!.assumingMemoryBound(to: Float.self), count: count) }
    }

    /// The largest of x[0 ..< count] (NaNs are skipped; the sums below then carry them).
    static func max(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
        var m = SIMD16<Float>(repeating: -.infinity)
        var j = 0
        while j + 16 <= count {
            let v = load(x + j)
            m = m.replacing(with: v, where: v .> m)
            j += 16
        }
        if j < count {
            let v = loadTail(x + j, count - j, padding: -.infinity)
            m = m.replacing(with: v, where: v .> m)
        }
        return m.max()
    }

    /// sum_j e^(scale x[j] - shift) over j < count, writing each term to `terms` if given
    /// (scale > 0). The sum runs in 16 lanes (lane k adds j = k, k + 16, ...), then across the
    /// lanes: an order that depends on nothing but `count`, so the same on every run and thread.
    static func sumExp(_ x: UnsafePointer<Float>, _ count: Int, scale: Float = 1, shift: Float,
                       terms: UnsafeMutablePointer<Float>? = nil) -> Float {
        var total = SIMD16<Float>(repeating: 0)
        var j = 0
        while j + 16 <= count {
            let e = vexp(load(x + j) * scale - shift)
            if let terms { store(e, terms + j) }
            total += e
            j += 16
        }
        if j < count {
            let e = vexp(loadTail(x + j, count - j, padding: -.infinity) * scale - shift)
            if let terms { storeTail(e, terms + j, count - j) }
            total += e
        }
        return total.sum()
    }

    /// GPT-2's GELU for x[0 ..< count], `Tensor.geluTanh`'s forward (Tensor/GELUTanh.swift):
    /// t = tanh(u) = 1 - 2 / (e^{2u} + 1) with u = sqrt(2/pi) (x + 0.044715 x^3), and
    /// out = 0.5 x (1 + t). Each element on its own: any split gives the same numbers.
    static func geluTanh(_ x: UnsafePointer<Float>, _ count: Int, tanh t: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        @inline(__always) func tanhU(_ x: SIMD16<Float>) -> SIMD16<Float> {
            let u = 0.7978845608028654 * (x + 0.044715 * x * x * x)
            return 1 - 2 / (vexp(2 * u) + 1)
        }
        var j = 0
        while j + 16 <= count {
            let v = load(x + j), tv = tanhU(v)
            store(tv, t + j)
            store(0.5 * v * (1 + tv), out + j)
            j += 16
        }
        if j < count {
            let v = loadTail(x + j, count - j, padding: 0), tv = tanhU(v)
            storeTail(tv, t + j, count - j)
            storeTail(0.5 * v * (1 + tv), out + j, count - j)
        }
    }
}
