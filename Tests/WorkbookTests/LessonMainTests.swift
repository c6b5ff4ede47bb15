import ArgumentParser
import Foundation
import Testing
import Workbook

/// Settings and flags as a lesson writes them, to check the entry point's parsing and messages.
struct DemoSettings: SeededSettings, Equatable {
    enum Schedule: String, CaseIterable, FlagValue { case linear, cosine }
    var learningRate: Float = 1e-3
    var perDeviceTrainBatchSize = 8
    var dropout: Float = 0.1
    var warmupSteps = 0
    var maxSteps = 100
    var saveSteps: Int?
    var doubleQuant = true
    var schedule = Schedule.linear
    var ranks = [1, 8]
    var targetModules = ["c_attn", "c_proj"]
    var seed = 42

    func validate() throws {
        try check(warmupSteps < maxSteps, "--warmup-steps (\(warmupSteps)) must be less than --max-steps (\(maxSteps))")
    }
}

enum DemoMain: LessonMain {
    static let folder = "00-demo"
    static let abstract = "A lesson that only parses."
    static let flags: [LessonFlag<DemoSettings>] = [
        LessonFlag("--learning-rate", \.learningRate, "Step size.", .positive),
        LessonFlag("--per-device-train-batch-size", \.perDeviceTrainBatchSize, "Examples per step.", .range(1...64)),
        LessonFlag("--dropout", \.dropout, "Dropout rate.", .range(0..<1)),
        LessonFlag("--warmup-steps", \.warmupSteps, "Warm-up steps.", .atLeast(0)),
        LessonFlag("--max-steps", \.maxSteps, "Optimizer steps.", .positive),
        LessonFlag("--save-steps", \.saveSteps, "Save a checkpoint every this many steps.", .atLeast(1)),
        LessonFlag(switch: "--double-quant", \.doubleQuant, "Quantize the quantization constants too."),
        LessonFlag("--lr-scheduler-type", \.schedule, "Schedule of the learning rate."),
        LessonFlag("--lora-r", \.ranks, "Ranks, comma-separated.", Valid("ranks") { $0.allSatisfy { $0 > 0 } ? nil : "must all be positive (got \($0.flagText))" }),
        LessonFlag("--lora-target-modules", \.targetModules, "Layers to adapt, comma-separated."),
    ]
    static func main(_ settings: DemoSettings, _ lesson: LessonRun) throws {}
}

private func firstError(_ arguments: [String]) -> String? {
    DemoMain.parseReport(arguments).flatMap { $0.standardError.split(separator: "\n").first.map(String.init) }
}

@Suite struct LessonMainTests {
    @Test func noFlagsGiveTheSettingsDefaults() throws {
        let parsed = try DemoMain.parse([])
        #expect(parsed.settings == DemoSettings())
        #expect(parsed.out == nil && !parsed.quiet)
    }

    @Test func eachFlagSetsItsField() throws {
        let parsed = try DemoMain.parse([
            "--learning-rate", "3e-4", "--per-device-train-batch-size=16", "--dropout", "0", "--save-steps", "5",
            "--no-double-quant", "--lr-scheduler-type", "cosine", "--lora-r", "4, 16", "--seed", "7", "--out", "/tmp/x", "--quiet",
        ])
        var expected = DemoSettings()
        expected.learningRate = 3e-4
        expected.perDeviceTrainBatchSize = 16
        expected.dropout = 0
        expected.saveSteps = 5
        expected.doubleQuant = false
        expected.schedule = .cosine
        expected.ranks = [4, 16]
        expected.seed = 7
        #expect(parsed.settings == expected)
        #expect(parsed.out == "/tmp/x" && parsed.quiet)
        #expect(try DemoMain.parse(["--no-double-quant", "--double-quant"]).settings.doubleQuant)
    }

    @Test func badValuesAreOneLineFromTheDeclaration() throws {
        #expect(firstError(["--learning-rate", "0"]) == "error: --learning-rate must be a positive number (got 0.0)")
        #expect(firstError(["--learning-rate", "nan"]) == "error: --learning-rate must be a positive number (got nan)")
        #expect(firstError(["--learning-rate", "abc"]) == "error: the value 'abc' is invalid for '--learning-rate <learning-rate>'")
        #expect(firstError(["--learning-rate"]) == "error: missing value for '--learning-rate <learning-rate>'")
        #expect(firstError(["--per-device-train-batch-size", "65"]) == "error: --per-device-train-batch-size must be between 1 and 64 (got 65)")
        #expect(firstError(["--dropout", "1"]) == "error: --dropout must be at least 0.0 and below 1.0 (got 1.0)")
        #expect(firstError(["--save-steps", "0"]) == "error: --save-steps must be at least 1 (got 0)")
        #expect(firstError(["--lr-scheduler-type", "exponential"]) == "error: --lr-scheduler-type must be one of linear, cosine (got exponential)")
        #expect(firstError(["--lora-r", "8,x"]) == "error: the value '8,x' is invalid for '--lora-r <lora-r>'")
        #expect(firstError(["--lora-r", "8,-1"]) == "error: --lora-r must all be positive (got 8,-1)")
        #expect(try DemoMain.parse(["--lora-r", "none"]).settings.ranks.isEmpty)
        #expect(try DemoMain.parse(["--lora-target-modules", "c_fc, lm_head"]).settings.targetModules == ["c_fc", "lm_head"])
        #expect(firstError(["--seed", "-1"]) == "error: --seed must be at least 0 (got -1)")
        #expect(firstError(["--out", ""]) == "error: --out must name a folder (got an empty string)")
        #expect(firstError(["--bogus-flag", "1"]) == "error: unknown option '--bogus-flag'")
        #expect(firstError(["stray"]) == "error: unexpected argument 'stray'")
        #expect(firstError(["--quiet=yes"]) == "error: --quiet takes no value (got 'yes')")
        #expect(DemoMain.parseReport(["--max-steps", "0"])?.status == 2)
    }

    @Test func rulesBetweenFlagsComeFromTheSettings() {
        #expect(firstError(["--warmup-steps", "100"]) == "error: --warmup-steps (100) must be less than --max-steps (100)")
        #expect(DemoMain.parseReport(["--warmup-steps", "100", "--max-steps", "200"]) == nil)
    }

    @Test func helpListsEveryFlagWithItsDefaultAndRange() throws {
        let report = try #require(DemoMain.parseReport(["--help"]))
        #expect(report.status == 0 && report.standardError.isEmpty)
        let help = report.standardOutput
        #expect(help.contains("USAGE: lesson-00-demo"))
        for flag in DemoMain.flags { #expect(help.contains(flag.name)) }
        #expect(help.contains("Examples per step. (default: 8; 1 to 64)"))
        #expect(help.contains("--double-quant, --no-double-quant"))
        #expect(help.contains("(default: none; at least 1)"))
        #expect(help.contains("(default: linear; one of linear, cosine)"))
        #expect(help.contains("(default: 1,8; ranks)"))
        #expect(help.contains("Layers to adapt, comma-separated. (default: c_attn,c_proj)"))
        for shared in ["--seed <seed>", "--out <dir>", "--quiet", "--help"] { #expect(help.contains(shared)) }
    }

    /// `--seed -3` reaches the check as the value -3 (a word after a flag that takes a value is
    /// its value, dash or not), so it says what is wrong with it rather than "missing value".
    @Test func aNegativeNumberAfterAFlagIsItsValue() {
        #expect(firstError(["--seed", "-3"]) == "error: --seed must be at least 0 (got -3)")
        for value in ["-1", "-0.5", "-inf", "-1e-3"] {
            #expect(firstError(["--learning-rate", value])?.hasPrefix("error: --learning-rate must be a positive number (got -") == true, "\(value)")
        }
        #expect(firstError(["--seed", "-x"]) == "error: the value '-x' is invalid for '--seed <seed>'")
        #expect(DemoMain.parseReport(["--learning-rate", "0.5", "--seed", "3"]) == nil)
    }

    @Test func aFailedRunIsOneLineAndStatus1() {
        #expect(DemoMain.runReport(for: LessonError("loss became NaN at step 37"))
            == ExitReport(standardError: "error: loss became NaN at step 37\n", status: 1))
        struct Broken: Error, CustomStringConvertible {
            var description: String { "first line\nsecond line" }
        }
        #expect(DemoMain.runReport(for: Broken()) == ExitReport(standardError: "error: first line second line\n", status: 1))
    }

    @Test func aRuleFoundDuringTheRunIsStillBadUsage() {
        let report = DemoMain.runReport(for: ValidationError("--warmup-steps must not exceed --max-steps"))
        #expect(report.status == 2)
        #expect(report.standardError.split(separator: "\n").first == "error: --warmup-steps must not exceed --max-steps")
    }

    @Test func failPrintsOneLineAndExits1() async throws {
        let result = try await #require(
            processExitsWith: .exitCode(1), observing: [\.standardErrorContent]
        ) {
            Workbook.fail("no metrics.csv in book/build/00-demo; run the lesson first")
        }
        #expect(String(decoding: result.standardErrorContent, as: UTF8.self)
            == "error: no metrics.csv in book/build/00-demo; run the lesson first\n")
    }

    @Test func openBLASIsPinnedOnlyWhereItIsUnsetOnX86Linux() {
        let both = OpenBLASPin.missing(in: [:], x86Linux: true)
        #expect(both.map(\.name) == ["OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS"])
        #expect(both.map(\.value) == ["Haswell", "1"])
        #expect(OpenBLASPin.missing(in: ["OPENBLAS_CORETYPE": "SkylakeX"], x86Linux: true).map(\.name) == ["OPENBLAS_NUM_THREADS"])
        #expect(OpenBLASPin.missing(in: ["OPENBLAS_CORETYPE": "Haswell", "OPENBLAS_NUM_THREADS": "2"], x86Linux: true).isEmpty)
        #expect(OpenBLASPin.missing(in: [:], x86Linux: false).isEmpty)
    }
}

@Suite struct ProgressTests {
    @Test func aNonFiniteLossStopsAtItsStep() {
        var messages: [String] = []
        let progress = LessonProgress(quiet: true, onNonFiniteLoss: { messages.append($0) })
        progress.update("training", step: 1, of: 10, metrics: ["loss": 2.3, "accuracy": .nan])
        #expect(messages.isEmpty)   // only losses stop a run
        progress.update("training", step: 2, of: 10, metrics: ["valid_loss": .nan])
        progress.update("training", step: 3, of: 10, metrics: ["loss": .infinity])
        #expect(messages == [
            "the valid_loss became NaN at step 2 of 10 (training); try a lower --learning-rate",
            "the loss became infinite at step 3 of 10 (training); try a lower --learning-rate",
        ])
    }

    @Test func aTrainingPartStopsOnItsLossAndOtherPartsNever() {
        var messages: [String] = []
        let progress = LessonProgress(quiet: true, onNonFiniteLoss: { messages.append($0) })
        progress.update("steps", step: 1, of: 4, loss: nil)
        progress.update("steps", step: 2, of: 4, loss: 1.5)
        #expect(messages.isEmpty)
        progress.update("steps", step: 3, of: 4, loss: .nan)
        #expect(messages == ["the loss became NaN at step 3 of 4 (steps); try a lower --learning-rate"])
    }

    @Test func silentNeverStops() {
        LessonProgress.silent.update("x", step: 1, of: 1, metrics: ["loss": .nan])
    }
}

@Suite struct CheckTests {
    @Test func checksPassGoodValues() throws {
        try check(true, "never shown")
        try atLeast(1, 1, "--per-device-train-batch-size")
        try positive(3e-4, "--learning-rate")
        try positive(2, "--num-train-epochs")
        try inRange(0.5, 0...1, "--weight-decay")
        try inRange(4, 1...64, "--gradient-accumulation-steps")
    }

    @Test func checksNameTheFlagAndTheValue() {
        #expect(throws: ValidationError.self) { try check(false, "x") }
        func message(_ body: () throws -> Void) -> String? {
            do { try body(); return nil } catch { return "\(error)" }
        }
        #expect(message { try atLeast(0, 1, "--per-device-train-batch-size") }
            == "--per-device-train-batch-size must be at least 1 (got 0)")
        #expect(message { try positive(Double.infinity, "--learning-rate") }
            == "--learning-rate must be a positive number (got inf)")
        #expect(message { try positive(Double.nan, "--learning-rate") }
            == "--learning-rate must be a positive number (got nan)")
        #expect(message { try positive(0, "--num-train-epochs") } == "--num-train-epochs must be positive (got 0)")
        #expect(message { try inRange(2.0, 0...1, "--weight-decay") }
            == "--weight-decay must be between 0.0 and 1.0 (got 2.0)")
        #expect(message { try inRange(Double.nan, 0...1, "--weight-decay") } != nil)
        #expect(message { try inRange(0, 1...64, "--gradient-accumulation-steps") }
            == "--gradient-accumulation-steps must be between 1 and 64 (got 0)")
    }
}
