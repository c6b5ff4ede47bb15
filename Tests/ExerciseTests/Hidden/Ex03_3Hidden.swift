import Foundation
import Testing
import LRSchedules

/// ex03_3, hidden: a hundred-step test shaped like a real one (flat, falling, exploding),
/// read by brute force here.
@Suite("ex03_3 (hidden): a full range-test curve")
struct Ex03_3Hidden {
    @Test func hundredSteps() {
        let n = 100
        let lrs = (0..<n).map { Float(1e-6 * pow(1e6, Double($0) / Double(n - 1))) }
        // Loss against x = log10(lr): flat at 2 until -4, falling to 0.5 at -1.5, then rising fast.
        let smoothed: [Float] = lrs.map { lr in
            let x = Double(log10(lr))
            if x < -4 { return 2 }
            if x < -1.5 { return Float(2 - 1.5 * pow((x + 4) / 2.5, 2)) }
            return Float(0.5 + 40 * pow(x + 1.5, 2))
        }
        var cut = smoothed
        cut[n - 1] = .nan
        let best = (0..<(n - 1)).min { cut[$0] < cut[$1] }!
        #expect(minimumLossRate(lrs: lrs, smoothed: cut) == lrs[best])
        func slope(_ i: Int) -> Float { (cut[i + 1] - cut[i - 1]) / (log(lrs[i + 1]) - log(lrs[i - 1])) }
        let steepest = (1..<best).min { slope($0) < slope($1) }!
        #expect(steepestRate(lrs: lrs, smoothed: cut) == lrs[steepest], "steepest at \(steepestRate(lrs: lrs, smoothed: cut)), expected \(lrs[steepest])")
    }
}
