import Foundation
import MiniTorch
import Testing
@testable import InstructionTuning

/// Packing (Packing.swift): rows filled best fit decreasing, targets shifted within each example, and the
/// same loss as `collate`'s padded batch.
@Suite("Lesson 14: packing")
struct Lesson14PackingTests {
    /// An example of `n` ids (from `seed`), the first `prompt` of them labelled -100.
    static func example(_ n: Int, prompt: Int, seed: Int) -> (inputIds: [Int], labels: [Int]) {
        let g = Generator(seed: seed)
        let ids = (0..<n).map { _ in 1 + g.int(below: 40) }
        return (ids, responseLabels(promptLength: prompt, ids: ids))
    }

    @Test func rowsAreFilledBestFitDecreasingWithTargetsShiftedWithinEachExample() {
        // 31, 41, 21, 11 and 51 ids take 30, 40, 20, 10 and 50 positions of rows of 64. Longest
        // first: 50 opens row 0, 40 row 1, 30 row 2; 20 fits rows 1 and 2 and fills row 1 best
        // (4 left); 10 fits rows 0 and 2 and fills row 0 best (4 left).
        let examples = [31, 41, 21, 11, 51].enumerated().map { Self.example($1, prompt: 5, seed: $0) }
        let batch = pack(examples, maxLength: 64, padID: 0)
        #expect(batch.rows == [[4, 3], [1, 2], [0]])
        #expect(batch.shape == [3, 60] && batch.realTokens == 150)
        #expect(abs(batch.realShare - 150.0 / 180) < 1e-12)   // 83% real; collate pads all five to 50: 150 / 250 = 60%
        #expect(collate(examples, padID: 0).realTokens == batch.realTokens)
        // Row 0: example 4 at 0..<50, example 3 at 50..<60.
        #expect(Array(batch.positionIds[48..<52]) == [48, 49, 0, 1])
        #expect(Array(batch.sequenceIds[48..<52]) == [0, 0, 1, 1] && batch.sequenceIds[59] == 1)
        #expect(Array(batch.inputs[0..<50]) == Array(examples[4].inputIds.prefix(50)))
        #expect(Array(batch.targets[0..<50]) == Array(examples[4].labels.dropFirst()))   // last target: example 4's own last token
        #expect(batch.targets[49] == examples[4].inputIds[50] && batch.inputs[50] == examples[3].inputIds[0])
        // Row 2: 30 real positions, then 30 of padding with -100 targets, a run of its own from 0.
        #expect(Array(batch.targets[150..<180]) == Array(repeating: -100, count: 30))
        #expect(Array(batch.positionIds[150..<152]) == [0, 1] && batch.sequenceIds[150] == 1)
        // Examples that fill a row exactly: 65 ids take all 64 positions, no padding.
        let full = pack([Self.example(65, prompt: 3, seed: 9), Self.example(33, prompt: 3, seed: 10), Self.example(33, prompt: 3, seed: 11)],
                        maxLength: 64, padID: 0)
        #expect(full.rows == [[0], [1, 2]] && full.shape == [2, 64] && full.realShare == 1)
    }

    /// The packed batch's loss (mean over the label tokens) is the padded batch's: each example's
    /// logits are the ones it gets alone, and the label tokens are the same.
    @Test(arguments: [GPT2Config.AttentionImplementation.eager, .fused])
    func packedLossEqualsPaddedLoss(_ implementation: GPT2Config.AttentionImplementation) {
        let config = GPT2Config(vocabSize: 48, nPositions: 64, nEmbd: 32, nLayer: 2, nHead: 4, residPdrop: 0, embdPdrop: 0,
                                attnPdrop: 0, bosTokenId: 0, eosTokenId: 0, attnImplementation: implementation)
        let model = GPT2LMHeadModel(config: config, generator: Generator(seed: 12)).eval()
        let examples = [23, 9, 40, 17, 30, 12, 26].enumerated().map { Self.example($1, prompt: $1 / 2, seed: 30 + $0) }
        let packed = pack(examples, maxLength: config.nPositions, padID: 0)
        let padded = collate(examples, padID: 0)
        let packedLoss = noGrad {
            crossEntropy(model(inputIds: packed.inputs, shape: packed.shape, positionIds: packed.positionIds,
                               sequenceIds: packed.sequenceIds).reshape([-1, 48]), packed.targets).item()
        }
        let paddedLoss = noGrad { crossEntropy(model(inputIds: padded.inputs, shape: padded.shape).reshape([-1, 48]), padded.targets).item() }
        #expect(abs(packedLoss - paddedLoss) <= 1e-5, "packed \(packedLoss), padded \(paddedLoss)")
        #expect(packed.targets.filter { $0 != -100 }.count == padded.targets.filter { $0 != -100 }.count)
        #expect(packed.shape[0] * packed.shape[1] < padded.shape[0] * padded.shape[1])
        print("packed loss \(packedLoss), padded \(paddedLoss), diff \(abs(packedLoss - paddedLoss)); positions \(packed.shape) vs \(padded.shape)")
    }
}
