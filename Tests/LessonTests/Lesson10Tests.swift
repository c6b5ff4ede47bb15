import Foundation
import MiniTorch
import Testing
import Workbook
@testable import StableTraining

/// Lesson 10's claims, from the same function the executable calls, at its default settings
/// (about two seconds in release).
@Suite("Lesson 10: stable training")
struct Lesson10Tests {
    static let result = StableTraining.run(Settings())

    @Test func clippingTurnsADivergingRunIntoAConvergingOne() {
        let r = Self.result
        #expect(r.unclipped.learningRate == 0.2 && r.clipped.learningRate == 0.2 && r.clipped.maxGradNorm == 1.0)
        // Same seed: same first batch, same first loss and gradient norm.
        #expect(r.unclipped.losses[0] == r.clipped.losses[0])
        #expect(abs(r.unclipped.losses[0] - 110.416) < 0.01 && abs(r.unclipped.gradNorms[0] - 27.231) < 0.01)
        // Without clipping the gradient norm explodes and the loss becomes inf at step 30.
        #expect(r.unclipped.stoppedAt == 30)
        #expect(r.unclipped.gradNorms.max()! > 1e30)
        // With clipping every step was clipped, the run finished, and the loss fell from 110 to 1.23.
        #expect(r.clipped.stopped == nil && r.clipped.losses.count == 500)
        #expect(r.clipped.clippedSteps == 500)
        #expect(abs(r.clipped.tailLoss() - 1.230) < 0.001)
        #expect(r.clipped.gradNorms.max()! < 43)
        let table = clippingTable(r).render()
        #expect(table.contains("stopped at step 30") && table.contains("loss 1.230 (last 20 steps)"))
    }

    @Test func nanDetectorNamesTheStep() {
        let r = Self.result
        #expect(r.unclipped.stopped?.description == "loss became inf at step 30 (learning rate 0.2); try a lower --learning-rate")
        // The bad batch is at step 40; the detector stops there, not later.
        #expect(r.badBatch.stoppedAt == 40)
        #expect(r.badBatch.losses.count == 40 && r.badBatch.losses[38].isFinite && r.badBatch.losses[39].isNaN)
        #expect(r.badBatch.stopped?.description == "loss became NaN at step 40 (learning rate 0.2); try a lower --learning-rate")
    }

    @Test func edgeValuesRoundAsStated() {
        func edge(_ label: String) -> EdgeValue { edgeValues.first { $0.label.hasPrefix(label) }! }
        #expect(edge("2^-24").fp16 == edge("2^-24").value)
        #expect(edge("2^-25").fp16 == 0 && edge("2^-25").bf16 == edge("2^-25").value)
        #expect(edge("1.5 x 2^-25").fp16 == edge("2^-24").value)
        #expect(edge("65504").fp16 == 65504 && edge("65504").bf16 == 65536)
        #expect(edge("65520").fp16 == .infinity && edge("65520").bf16 == 65536)
        #expect(edge("1e5").fp16 == .infinity && edge("1e5").bf16 == 99840)
        #expect(edge("1 + 2^-8").fp16 == 1.0039062 && edge("1 + 2^-8").bf16 == 1)
        #expect(edge("1 + 2^-11").fp16 == 1)
        #expect(edge("0.1").fp16 == 0.099975586 && edge("0.1").bf16 == 0.100097656)
        #expect(edge("1e-8").fp16 == 0 && edge("1e-8").bf16 == 1.0011718e-08)
        #expect(edge("1e-30").fp16 == 0 && edge("1e-30").bf16 == 9.984021e-31)
    }

    @Test func bf16KeepsAboutTwoAndAHalfDigits() {
        let fp16 = Self.result.errors.first { $0.format == .float16 }!
        let bf16 = Self.result.errors.first { $0.format == .bfloat16 }!
        // Largest relative error just under 2^-11 = 0.049% and 2^-8 = 0.391%.
        #expect(fp16.largest <= 0.00048828125 && fp16.largest > 0.000487)
        #expect(bf16.largest <= 0.00390625 && bf16.largest > 0.00388)
        #expect(abs(fp16.mean - 0.00017) < 0.00001 && abs(bf16.mean - 0.00135) < 0.00001)
        #expect(abs(fp16.digits - 3.3) < 0.05 && abs(bf16.digits - 2.4) < 0.05)
    }

    @Test func fp16UnderflowsGradientsAndAScaleRecoversThem() {
        let u = Self.result.precisionRun(.fp32).underflow
        #expect(u.map(\.step) == [1, 50, 100, 200, 300, 400])
        // At step 1 nothing is lost; by step 400 the median gradient is below 2^-24 and half the
        // elements become 0 in fp16; times 2^16 only 0.3% do, and bf16 loses none.
        #expect(u[0].zeroInFP16 == 0 && abs(u[0].medianMagnitude - 4.45e-3) < 1e-5)
        #expect(abs(u[5].zeroInFP16 - 0.503) < 0.001 && u[5].medianMagnitude < HalfFormat.float16.smallestSubnormal)
        #expect(abs(u[2].zeroInFP16 - 0.213) < 0.001)
        #expect(u.dropFirst().allSatisfy { $0.medianMagnitude < HalfFormat.float16.smallestNormal })
        #expect(u.allSatisfy { $0.zeroInBF16 == 0 && $0.overflowInFP16Scaled == 0 })
        #expect(u.allSatisfy { $0.zeroInFP16Scaled < 0.008 })
        #expect(abs(u[5].zeroInFP16Scaled - 0.003) < 0.0005)
        let table = underflowTable(Self.result).render()
        #expect(table.contains("50.3%") && table.contains("21.3%"))
    }

    @Test func lossScalingRuns() {
        let r = Self.result
        #expect(abs(lateZeroShare(r.precisionRun(.fp16)) - 0.2174) < 0.0001)
        #expect(abs(lateZeroShare(r.precisionRun(.fp16Static)) - 0.0025) < 0.0001)
        #expect(lateZeroShare(r.precisionRun(.fp16Dynamic)) < 0.0002)
        #expect(lateZeroShare(r.precisionRun(.fp32)) == 0 && lateZeroShare(r.precisionRun(.bf16)) == 0)
        // The scaler starts at 2^16, grows every 25 clean steps, and skips the 3 steps that overflowed.
        let dynamic = r.precisionRun(.fp16Dynamic)
        #expect(dynamic.scales[0] == 65536 && dynamic.scales.last! == Float(1 << 28))
        #expect(dynamic.skippedSteps == [331, 358, 389])
        for step in dynamic.skippedSteps {   // a skipped step halves the scale for the next one
            #expect(dynamic.scales[step] == dynamic.scales[step - 1] / 2)
            #expect(dynamic.scales[step - 1] == Float(1 << 29))   // the scale that overflowed
        }
        // The loss barely notices on this model: every final loss within 2% of fp32's 2.71e-5.
        let fp32 = r.precisionRun(.fp32).tailLoss()
        #expect(abs(fp32 - 2.71e-5) < 1e-7)
        #expect(r.precisionRuns.allSatisfy { abs($0.tailLoss() / fp32 - 1) < 0.02 })
    }

    @Test func gradScalerFollowsPyTorch() {
        let scaler = GradScaler(growthInterval: 3)
        #expect(scaler.scale == 65536 && GradScaler().growthInterval == 2000)
        scaler.update(foundInf: true)
        #expect(scaler.scale == 32768)
        for _ in 0..<3 { scaler.update(foundInf: false) }
        #expect(scaler.scale == 65536 && scaler.growthTracker == 0)
        let w = Tensor([1, 2], shape: [2], requiresGrad: true)
        (w * Tensor([65536, Float.infinity], shape: [2])).sum().backward()
        #expect(scaler.unscale([w]) == true)
        #expect(w.grad!.scalars[0] == 1)
    }

    /// Clipping under a loss scale of 2^16, in both orders, on the precision runs' first batch.
    @Test func unscaleBeforeClipping() {
        let c = compareClipOrder(PrecisionSettings())
        #expect(c.lossScale == 65536 && c.maxNorm == 1)
        #expect(String(format: "%.3f", c.trueNorm) == "1.007")
        #expect(abs(c.clipFirstLoggedNorm / c.trueNorm - 65536) / 65536 < 1e-4)      // the norm 2^16 times too large
        #expect(String(format: "%.3e", c.clipFirstLoggedNorm) == "6.601e+04")
        #expect(abs(c.clipFirstFinalNorm * 65536 - 1) < 1e-4)                        // 1 / 2^16 = 1.5e-5
        #expect(abs(c.unscaleFirstLoggedNorm / c.trueNorm - 1) < 1e-5 && abs(c.unscaleFirstFinalNorm - 1) < 1e-5)   // summed in another order
        #expect(clipOrderText(c).contains("norm the optimizer gets 1.526e-05"))
    }
}
