import Testing
@testable import Workbook

/// Collects what a progress bar writes.
final class Capture {
    var text = ""
    func write(_ piece: String) { text += piece }
}

@Suite struct ProgressBarTests {
    @Test func pipedOutputIsAPlainLineEveryTenPercent() {
        let capture = Capture()
        var bar = ProgressBar(total: 100, label: "training", style: .lines, write: capture.write)
        for step in 1...100 {
            bar.update(step, metrics: ["loss": 1.0 / Double(step), "lr": 1e-3])
        }
        bar.finish()
        let lines = capture.text.split(separator: "\n")
        #expect(lines.count == 10)
        #expect(lines[0] == "training  10/100 (10%)  loss 0.100  lr 0.001")
        #expect(lines[9] == "training  100/100 (100%)  loss 0.010  lr 0.001")
        #expect(!capture.text.contains("\r"))
    }

    @Test func pipedOutputIsTheSameEveryRun() {
        func run() -> String {
            let capture = Capture()
            var bar = ProgressBar(total: 37, label: "epoch", style: .lines, write: capture.write)
            for step in 1...37 { bar.update(step, metrics: ["loss": Double(step)]) }
            bar.finish()
            return capture.text
        }
        #expect(run() == run())
    }

    @Test func finishReportsWhereAnInterruptedLoopStopped() {
        let capture = Capture()
        var bar = ProgressBar(total: 100, label: "training", style: .lines, write: capture.write)
        for step in 1...42 { bar.update(step) }
        bar.finish()
        bar.finish()   // harmless twice
        let lines = capture.text.split(separator: "\n")
        #expect(lines.last == "training  42/100 (42%)")
        #expect(lines.count == 5)
    }

    @Test func quietPrintsNothing() {
        let capture = Capture()
        var bar = ProgressBar(total: 10, quiet: true, write: capture.write)
        #expect(bar.style == .silent)
        for step in 1...10 { bar.update(step) }
        bar.finish()
        #expect(capture.text.isEmpty)
    }

    @Test func terminalBarRedrawsAtMostTwentyTimesASecond() {
        final class Clock { var now = 0.0 }
        let clock = Clock()
        let capture = Capture()
        var bar = ProgressBar(
            total: 100, label: "training", style: .terminal, clock: { clock.now }, write: capture.write)
        bar.width = 10
        for step in 1...100 {
            clock.now += 0.01   // 100 steps a second: only every fifth may redraw
            bar.update(step, metrics: ["loss": 0.523])
        }
        bar.finish()
        let draws = capture.text.split(separator: "\r", omittingEmptySubsequences: true)
        #expect(draws.count <= 100 / 5 + 2)
        #expect(draws.count >= 100 / 5)
        #expect(capture.text.hasSuffix("\rtraining [##########] 100/100  loss 0.523  1.0s\u{1B}[K\n"))
        #expect(capture.text.components(separatedBy: "100/100").count == 2)   // drawn once
        #expect(capture.text.contains("[#######...] 73/100  loss 0.523  0.7s"))
    }

    @Test func terminalBarFinishDrawsAStateThrottlingSkipped() {
        let capture = Capture()
        var bar = ProgressBar(total: 10, style: .terminal, clock: { 0 }, write: capture.write)
        bar.width = 10
        bar.update(1)
        bar.update(2)   // same instant: not drawn
        bar.finish()
        #expect(capture.text == "\r[#.........] 1/10  0.0s\u{1B}[K\r[##........] 2/10  0.0s\u{1B}[K\n")
    }

    @Test func emptyLoopStillEndsCleanly() {
        let capture = Capture()
        var bar = ProgressBar(total: 0, style: .lines, write: capture.write)
        bar.finish()
        #expect(capture.text == "0/0 (100%)\n")
    }
}
