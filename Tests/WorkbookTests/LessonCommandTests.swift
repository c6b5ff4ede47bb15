import ArgumentParser
import Foundation
import Testing
import Workbook

/// A lesson command as lessons write them, for checking how flags are parsed and errors reported.
struct DemoLesson: LessonCommand {
    static let lessonFolder = "00-demo"

    @OptionGroup var options: LessonOptions
    @Option var learningRate: Double = 1e-3
    @Option var perDeviceTrainBatchSize: Int = 8
    @Option var weightDecay: Double = 0.01
    @Flag var failAtRuntime = false

    func validate() throws {
        try positive(learningRate, "--learning-rate")
        try atLeast(perDeviceTrainBatchSize, 1, "--per-device-train-batch-size")
        try inRange(weightDecay, 0...1, "--weight-decay")
    }

    func run() throws {
        if failAtRuntime {
            throw LessonError("loss became NaN at step 37 (learning rate 3.0); try a lower --learning-rate")
        }
        print("ran with batch size \(perDeviceTrainBatchSize)")
    }
}

/// The report's standard error, line by line.
private func errorLines(_ report: ExitReport?) -> [Substring] {
    report?.standardError.split(separator: "\n") ?? []
}

@Suite struct LessonCommandTests {
    @Test func validFlagsParse() throws {
        #expect(DemoLesson.parseReport(["--learning-rate", "3e-4", "--seed", "7"]) == nil)
        let lesson = try DemoLesson.parse(["--seed", "7", "--out", "/tmp/somewhere"])
        #expect(lesson.options.seed == 7)
        #expect(lesson.outputPath == "/tmp/somewhere")
    }

    @Test func defaultsFollowTheHouseRules() throws {
        let lesson = try DemoLesson.parse([])
        #expect(lesson.options.seed == 42)
        #expect(lesson.options.quiet == false)
        #expect(lesson.outputPath == "runs/00-demo")
        #expect(DemoLesson.configuration.commandName == "lesson-00-demo")
    }

    @Test func outOfRangeValueIsOneLineAndStatus2() throws {
        let report = try #require(DemoLesson.parseReport(["--per-device-train-batch-size", "0"]))
        #expect(report.status == 2)
        let lines = errorLines(report)
        #expect(lines.count == 2)
        #expect(lines[0] == "error: --per-device-train-batch-size must be at least 1 (got 0)")
        #expect(lines[1].contains("--help"))
        #expect(report.standardOutput.isEmpty)
    }

    @Test func wrongTypeIsOneLineAndStatus2() throws {
        let report = try #require(DemoLesson.parseReport(["--learning-rate", "fast"]))
        #expect(report.status == 2)
        let lines = errorLines(report)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("error: "))
        #expect(lines[0].contains("'fast'"))
        #expect(lines[0].contains("--learning-rate"))
        #expect(!report.standardError.contains("USAGE"))
    }

    @Test func unknownFlagIsOneLineAndStatus2() throws {
        let report = try #require(DemoLesson.parseReport(["--batch-size", "4"]))
        #expect(report.status == 2)
        let lines = errorLines(report)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("error: unknown option '--batch-size'"))
    }

    @Test func missingValueIsOneLineAndStatus2() throws {
        let report = try #require(DemoLesson.parseReport(["--seed"]))
        #expect(report.status == 2)
        #expect(errorLines(report).count == 2)
    }

    @Test(arguments: ["nan", "inf", "-1", "0"])
    func learningRateMustBePositiveAndFinite(_ value: String) throws {
        let report = try #require(DemoLesson.parseReport(["--learning-rate=\(value)"]))
        #expect(report.status == 2)
        #expect(errorLines(report).first?.hasPrefix("error: --learning-rate must be a positive number") == true)
    }

    @Test func sharedOptionsAreValidatedToo() throws {
        let report = try #require(DemoLesson.parseReport(["--seed=-3"]))
        #expect(report.status == 2)
        #expect(errorLines(report).first == "error: --seed must be at least 0 (got -3)")
    }

    @Test func helpGoesToStandardOutputWithStatus0() throws {
        let report = try #require(DemoLesson.parseReport(["--help"]))
        #expect(report.status == 0)
        #expect(report.standardError.isEmpty)
        for flag in ["--per-device-train-batch-size", "--learning-rate", "--seed", "--out", "--quiet"] {
            #expect(report.standardOutput.contains(flag))
        }
    }

    @Test func runtimeErrorIsOneLineAndStatus1() {
        let report = DemoLesson.runReport(for: LessonError("loss became NaN at step 37"))
        #expect(report == ExitReport(standardError: "error: loss became NaN at step 37\n", status: 1))
    }

    @Test func anyErrorFromRunBecomesOneLine() {
        struct Broken: Error, CustomStringConvertible {
            var description: String { "first line\nsecond line" }
        }
        let report = DemoLesson.runReport(for: Broken())
        #expect(report.status == 1)
        #expect(report.standardError == "error: first line second line\n")
    }

    @Test func validationErrorFromRunIsStillAUsageError() {
        let report = DemoLesson.runReport(for: ValidationError("--warmup-steps must not exceed --max-steps"))
        #expect(report.status == 2)
        #expect(errorLines(report).first == "error: --warmup-steps must not exceed --max-steps")
    }

    // The real thing: main() in a child process, its exit status and standard error.

    @Test func mainExitsWith2OnBadValue() async throws {
        let result = try await #require(
            processExitsWith: .exitCode(2), observing: [\.standardErrorContent]
        ) {
            DemoLesson.main(["--per-device-train-batch-size", "0"])
        }
        let text = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(text.split(separator: "\n").first == "error: --per-device-train-batch-size must be at least 1 (got 0)")
        #expect(text.split(separator: "\n").count <= 2)
    }

    @Test func mainExitsWith1OnRuntimeError() async throws {
        let result = try await #require(
            processExitsWith: .exitCode(1), observing: [\.standardErrorContent]
        ) {
            DemoLesson.main(["--fail-at-runtime"])
        }
        let text = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(text == "error: loss became NaN at step 37 (learning rate 3.0); try a lower --learning-rate\n")
    }

    @Test func mainExitsWith0OnHelp() async throws {
        let result = try await #require(
            processExitsWith: .exitCode(0), observing: [\.standardOutputContent]
        ) {
            DemoLesson.main(["--help"])
            exit(0)
        }
        #expect(String(decoding: result.standardOutputContent, as: UTF8.self).contains("--learning-rate"))
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
