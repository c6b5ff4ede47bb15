import Foundation
import Testing
@testable import Grader

@Suite("Grader: the grade table, a student's JSON and the time limit")
struct ReportTests {
    let report = GradeReport(name: "alice", submission: "/tmp/alice", results: [
        ExerciseResult(id: "ex00_1", title: "the numerically stable softmax", points: 2, earned: 2, outcome: .passed, message: "", seconds: 0.5),
        ExerciseResult(id: "ex00_2", title: "the sigmoid backward", points: 1, earned: 0, outcome: .failed,
                       message: "error: exercise ex00_2 (the sigmoid backward) is not solved yet", seconds: 0.2),
        ExerciseResult(id: "ex10_12", title: "a loop", points: 3, earned: 0, outcome: .timedOut, message: "stopped after 5 s (an endless loop?)", seconds: 5),
    ])

    @Test func tableLinesUpAndAddsUp() {
        #expect(report.earned == 2 && report.possible == 6)
        #expect(report.table(messageWidth: 60) == """
            exercise  title                           points  result
            ex00_1    the numerically stable softmax   2 / 2  passed
            ex00_2    the sigmoid backward             0 / 1  failed: error: exercise ex00_2 (the sigmoid backward) is ...
            ex10_12   a loop                           0 / 3  timed out: stopped after 5 s (an endless loop?)
            total                                      2 / 6

            """)
    }

    @Test func jsonHoldsTheTotalsAndRoundTrips() throws {
        let json = report.json()
        #expect(json.contains("\"earned\" : 2,"))
        #expect(json.contains("\"possible\" : 6,"))
        #expect(json.contains("\"outcome\" : \"timed out\""))
        #expect(json.contains("\"submission\" : \"/tmp/alice\""))
        #expect(json.contains("\"name\" : \"alice\""))
        #expect(try JSONDecoder().decode(GradeReport.self, from: Data(json.utf8)) == report)
    }

    func process(_ output: String, status: Int32 = 1, timedOut: Bool = false) -> ProcessResult {
        ProcessResult(status: status, timedOut: timedOut, output: output, seconds: 1)
    }

    @Test func outcomesFromTestOutput() {
        let e = sampleManifest().exercises[0]
        let passed = process("◇ Test run started.\n✔ Test run with 3 tests in 1 suite passed after 0.01 seconds.\n", status: 0)
        #expect(TestRun.result(of: e, process: passed, timeout: 120).earned == 2)
        let failed = process("""
            ✔ Test a() passed after 0.001 seconds.
            ✘ Test largeLogits() recorded an issue at Ex00_1.swift:10:9: Expectation failed: exerciseClose(...)
            ✘ Test run with 3 tests in 1 suite failed after 0.02 seconds with 1 issue.
            """)
        let r = TestRun.result(of: e, process: failed, timeout: 120)
        #expect(r.earned == 0 && r.outcome == .failed)
        #expect(r.message == "largeLogits(): Ex00_1.swift:10:9: Expectation failed: exerciseClose(...)")
        let stub = process("◇ Test a() started.\nerror: exercise ex01_1 (the training step) is not solved yet: read c, then fill in f\n")
        #expect(TestRun.judge(stub, timeout: 120) == (.failed, "error: exercise ex01_1 (the training step) is not solved yet: read c, then fill in f"))
        let none = process("✔ Test run with 0 tests in 0 suites passed after 0.001 seconds.\n", status: 0)
        #expect(TestRun.judge(none, timeout: 120).0 == .noTests)
        let crash = process("Fatal error: Index out of range\n", status: 132)
        #expect(TestRun.judge(crash, timeout: 120) == (.failed, "crashed: Fatal error: Index out of range"))
        #expect(TestRun.judge(process("", status: 139), timeout: 120) == (.failed, "the test process exited with status 139"))
    }

    /// A process that outlives its limit is stopped and its exercise scores zero.
    @Test func aTimeoutCountsAsZero() throws {
        let start = Date()
        let slow = try runProcess(["sleep", "30"], in: "/", timeout: 1)
        #expect(slow.timedOut)
        #expect(Date().timeIntervalSince(start) < 10)
        let result = TestRun.result(of: sampleManifest().exercises[1], process: slow, timeout: 1)
        #expect(result.earned == 0 && result.outcome == .timedOut)
        #expect(result.message == "stopped after 1 s (an endless loop?)")
        let quick = try runProcess(["sh", "-c", "echo out; echo err >&2; exit 3"], in: "/", timeout: 10)
        #expect(!quick.timedOut && quick.status == 3 && quick.output == "out\nerr\n")
    }
}

@Suite("Grader: reading Swift Testing's output")
struct TestOutputTests {
    @Test func coloursAreIgnored() {
        let coloured = "\u{1B}[92m✔\u{1B}[0m Test run with 4 tests in 2 suites passed after 0.001 seconds.\n"
        #expect(TestRun.withoutColors(coloured) == "✔ Test run with 4 tests in 2 suites passed after 0.001 seconds.\n")
        let result = ProcessResult(status: 0, timedOut: false, output: coloured, seconds: 0.1)
        #expect(TestRun.judge(result, timeout: 120).0 == .passed)
    }
}
