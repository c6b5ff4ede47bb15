import Testing
@testable import MiniTorch

@Suite("TrainingArguments")
struct TrainingArgumentsTests {
    @Test func defaultsAreHuggingFaces() {
        let args = TrainingArguments()
        #expect(args.numTrainEpochs == 3 && args.perDeviceTrainBatchSize == 8 && args.perDeviceEvalBatchSize == 8)
        #expect(args.learningRate == 5e-5 && args.lrSchedulerType == .linear && args.warmupSteps == 0)
        #expect(args.weightDecay == 0 && args.maxGradNorm == 1 && args.maxSteps == -1 && args.seed == 42)
        #expect(args.adamBeta1 == 0.9 && args.adamBeta2 == 0.999 && args.adamEpsilon == 1e-8)
        #expect(args.gradientAccumulationSteps == 1 && args.optim == .adamw && !args.dataloaderDropLast)
        #expect(args.validate() == nil)
    }

    @Test func invalidValuesGetOneLine() {
        func message(_ change: (inout TrainingArguments) -> Void) -> String? {
            var args = TrainingArguments()
            change(&args)
            return args.validate()
        }
        #expect(message { $0.perDeviceTrainBatchSize = 0 } == "perDeviceTrainBatchSize must be at least 1 (got 0)")
        #expect(message { $0.learningRate = -1 } == "learningRate must be a positive number (got -1.0)")
        #expect(message { $0.learningRate = .nan } == "learningRate must be a positive number (got nan)")
        #expect(message { $0.gradientAccumulationSteps = 0 } == "gradientAccumulationSteps must be at least 1 (got 0)")
        #expect(message { $0.warmupSteps = -5 } == "warmupSteps must not be negative (got -5)")
        #expect(message { $0.adamBeta2 = 1 } == "adamBeta2 must be in [0, 1) (got 1.0)")
        #expect(message { $0.maxSteps = 0 } == "maxSteps must be positive, or -1 for no limit (got 0)")
        #expect(message { $0.evalSteps = 0 } == "evalSteps must be at least 1 (got 0); leave it nil to evaluate every epoch")
        #expect(message { $0.numTrainEpochs = 0 } == "numTrainEpochs must be at least 1 (got 0)")
        #expect(message { $0.numTrainEpochs = 0; $0.maxSteps = 10 } == nil)
        #expect(message { $0.maxGradNorm = 0 } == nil)
        #expect(message { $0.maxGradNorm = nil } == nil)
    }
}
