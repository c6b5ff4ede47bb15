import Testing
import Workbook

/// `--flag -1` reaches validation as the value -1, rather than "missing value for --flag" (the
/// parser alone reads a word starting with a dash as the next option).
@Suite struct NegativeValueTests {
    @Test func aNegativeNumberAfterAnOptionIsItsValue() throws {
        let report = try #require(DemoLesson.parseReport(["--seed", "-3"]))
        #expect(report.status == 2)
        #expect(report.standardError.split(separator: "\n").first == "error: --seed must be at least 0 (got -3)")
    }

    @Test(arguments: ["-1", "-0.5", "-inf", "-1e-3"])
    func negativeLearningRatesAreCaughtByValidation(_ value: String) throws {
        let report = try #require(DemoLesson.parseReport(["--learning-rate", value]))
        #expect(report.standardError.hasPrefix("error: --learning-rate must be a positive number (got -"))
    }

    @Test func wordsThatAreNotNumbersStayOptions() throws {
        // "-x" is not a number: still an unknown option, and --seed still lacks its value.
        let report = try #require(DemoLesson.parseReport(["--seed", "-x"]))
        #expect(report.status == 2)
        #expect(!report.standardError.contains("must be at least"))
        #expect(DemoLesson.parseReport(["--learning-rate", "0.5", "--seed", "3"]) == nil)
    }

    @Test func everythingAfterADoubleDashIsLeftAlone() throws {
        let report = try #require(DemoLesson.parseReport(["--", "--seed", "-3"]))
        #expect(!report.standardError.contains("must be at least 0"))
    }
}
