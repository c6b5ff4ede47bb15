import Foundation
import MiniTorch
import Testing
@testable import GradientAccumulation

/// The claims of chapter 04 (gradient accumulation), as numbers.
@Suite struct Lesson04Tests {
    @Test func effectiveBatchIsMicroBatchTimesSteps() {
        let config = Settings()
        #expect(config.perDeviceTrainBatchSize == 8)
        #expect(config.gradientAccumulationSteps == 4)
        #expect(config.effectiveBatchSize == 32)
        #expect(totalSteps(config) == 60)   // 384 sequences / 32 = 12 steps an epoch, 5 epochs
    }

    /// The default run, as the chapter shows it: every number it states.
    @Test func defaultRunMatchesTheChapter() {
        let report = GradientAccumulation.run(Settings())

        // 1. Equal lengths: 4 micro-batches of 8 x 31 predicted tokens, loss / 4 each, same gradient.
        let e = report.equalLength
        #expect(e.accumulationSteps == 4 && e.microBatchSize == 8)
        #expect(e.tokensPerMicroBatch == [248, 248, 248, 248])
        #expect(e.maxAbsDifference < 1e-5)
        #expect(e.largestGradient > 1e-2)                        // the difference is not small by accident
        #expect(abs(e.accumulatedLoss - e.fullBatchLoss) < 1e-4)
        #expect(abs(report.unscaledRatio - 4) < 1e-3)            // forgetting 1/k: k times the gradient

        // 2. Memory falls roughly k-fold; the gradients of the parameters never shrink.
        let peaks = Dictionary(uniqueKeysWithValues: report.memory.map { ($0.microBatchSize, $0.peakBytes) })
        #expect(report.memory.map(\.microBatchSize) == [32, 16, 8, 4, 2, 1])
        #expect(report.memory.map(\.accumulationSteps) == [1, 2, 4, 8, 16, 32])
        let ratio = Double(peaks[32]!) / Double(peaks[8]!)
        #expect(ratio > 2.5 && ratio < 4.5)
        #expect(1 / ratio > 0.25 && 1 / ratio < 0.30)                // "a little over a quarter"
        #expect(zip(report.memory, report.memory.dropFirst()).allSatisfy { $0.peakBytes > $1.peakBytes })
        #expect(report.memory.allSatisfy { $0.peakBytes > report.parameterBytes })   // .grad is always there
        #expect(report.parameterBytes == 37_504)
        // At micro-batch 1 the floor shows: the peak is well above 1/32 of the full batch's.
        #expect(Double(peaks[1]!) > 1.5 * Double(peaks[32]!) / 32)

        // 3. The trap: unequal token counts; mean of means is off, token weighting is exact.
        let tokens = report.trapAtInit.dividedBySteps.tokensPerMicroBatch
        #expect(tokens.count == 4 && Set(tokens).count > 1)
        #expect(tokens == [111, 49, 100, 53])
        for trap in [report.trapAtInit, report.trapTrained] {
            #expect(trap.dividedByTokens.maxAbsDifference < 1e-5)
            #expect(abs(trap.dividedByTokens.accumulatedLoss - trap.dividedByTokens.fullBatchLoss) < 1e-4)
            #expect(trap.dividedBySteps.maxAbsDifference > 1e-3)
        }
        #expect(abs(report.trapAtInit.lossDifference) < 0.002)    // every token costs about ln 32 at first
        #expect(report.trapTrained.lossDifference > 0.03)          // short sequences cost more once trained

        // 4. Training: the token-weighted run follows the big batch; the divided-by-steps run does not.
        let big = report.run(.bigBatch), accumulated = report.run(.accumulated), naive = report.run(.naive)
        #expect(big.stepLosses.count == 60)
        #expect(report.curveDifference(.accumulated) < 1e-5)
        #expect(abs(accumulated.final.all - big.final.all) < 1e-4)
        #expect(report.curveDifference(.naive) > 0.05)
        #expect(naive.final.all > big.final.all + 0.005)          // worse on the per-token objective
        #expect(naive.final.short < big.final.short)                // it overweights short sequences
        #expect(naive.final.long > big.final.long)
        let naiveGaps = zip(naive.stepLosses, big.stepLosses).dropFirst().map { abs($0 - $1) }
        #expect(naiveGaps.allSatisfy { $0 > 5e-4 && $0 < 0.5 })  // "about 1e-3 to 1e-1 from its second step on"
        #expect(big.final.short > big.final.long)                   // short sequences are the harder kind
        #expect(big.stepLosses.last! < big.stepLosses.first! - 2) // it learned
        #expect(abs(big.stepLosses.first! - log(32)) < 0.1)         // starts near ln(vocabulary)
    }

    /// The chapter's "things to try": smaller pieces of the same effective batch, and no accumulation.
    @Test func otherSplitsOfTheEffectiveBatch() {
        var fine = Settings()
        fine.perDeviceTrainBatchSize = 4
        fine.gradientAccumulationSteps = 8
        let corpus = makeCorpus(fine)
        let big = train(.bigBatch, corpus: corpus, config: fine)
        let accumulated = train(.accumulated, corpus: corpus, config: fine)
        let naive = train(.naive, corpus: corpus, config: fine)
        let defaultNaive = train(.naive, corpus: corpus, config: Settings())
        #expect(zip(accumulated.stepLosses, big.stepLosses).allSatisfy { abs($0 - $1) < 1e-5 })
        #expect(naive.final.all > defaultNaive.final.all + 0.05)   // strays further at 4 x 8

        var whole = Settings()
        whole.perDeviceTrainBatchSize = 32
        whole.gradientAccumulationSteps = 1
        let runs = RunKind.allCases.map { train($0, corpus: corpus, config: whole).stepLosses }
        #expect(runs[0] == runs[1] && runs[1] == runs[2])          // one micro-batch: a token share of 1
    }

    /// Short sequences' "+1" tokens are the minority of all tokens, though most sequences are short.
    @Test func shortSequencesHoldAMinorityOfTokens() {
        let corpus = makeCorpus(Settings())
        let shortTokens = corpus.filter(\.isShort).reduce(0) { $0 + $1.targetCount }
        let allTokens = corpus.reduce(0) { $0 + $1.targetCount }
        #expect(Double(shortTokens) / Double(allTokens) < 0.5)
        #expect(corpus.count == 384)
    }

    @Test func paddedBatchShiftsLabelsAndIgnoresPadding() {
        let batch = PaddedBatch([TokenSequence(ids: [5, 6, 7], isShort: true), TokenSequence(ids: [9, 12], isShort: true)])
        #expect(batch.length == 3 && batch.batchSize == 2)
        #expect(batch.inputIDs == [5, 6, 7, 9, 12, 0])
        #expect(batch.labels == [6, 7, -100, 12, -100, -100])
        #expect(batch.tokenCount == 3)
    }

    @Test func corpusFollowsItsRules() {
        let corpus = SequenceCorpus.make(count: 400, generator: Generator(seed: 7))
        let short = corpus.filter(\.isShort)
        #expect(short.allSatisfy { SequenceCorpus.shortLengths.contains($0.ids.count) })
        #expect(corpus.filter { !$0.isShort }.allSatisfy { SequenceCorpus.longLengths.contains($0.ids.count) })
        #expect(abs(Double(short.count) / 400 - 0.75) < 0.07)
        #expect(corpus.allSatisfy { $0.ids.allSatisfy { (1..<SequenceCorpus.vocabSize).contains($0) } })
        #expect(SequenceCorpus.make(count: 400, generator: Generator(seed: 7)) == corpus)   // seeded
    }

    @Test func halvingSizesDivideTheEffectiveBatch() {
        #expect(halvingSizes(of: 32) == [32, 16, 8, 4, 2, 1])
        #expect(halvingSizes(of: 24) == [24, 12, 6, 3, 1])
        #expect(halvingSizes(of: 1) == [1])
    }

    /// A last, shorter window (here 3 micro-batches, one of them partial) still gives the full
    /// batch's gradient when weighted by tokens.
    @Test func partialWindowStillMatchesWhenWeightedByTokens() {
        let model = NextTokenModel(generator: Generator(seed: 3))
        let batch = SequenceCorpus.make(count: 20, generator: Generator(seed: 4))
        let comparison = compareWithFullBatch(model, batch, microBatchSize: 7, normalization: .divideByTokens)
        #expect(comparison.accumulationSteps == 3)
        #expect(comparison.maxAbsDifference < 1e-5)
    }

    @Test func sameSeedSameCurve() {
        var config = Settings()
        config.numTrainEpochs = 1
        let corpus = makeCorpus(config)
        let a = train(.accumulated, corpus: corpus, config: config), b = train(.accumulated, corpus: corpus, config: config)
        #expect(a.stepLosses == b.stepLosses)
    }
}
