import Foundation
import Testing
@testable import Workbook

private func lossCurves() -> TerminalPlot {
    let epochs = (1...30).map(Double.init)
    var plot = TerminalPlot(title: "loss", xLabel: "epoch", width: 60, height: 16)
    plot.add("train", x: epochs, y: epochs.map { 2 * exp(-$0 / 8) + 0.1 })
    plot.add("validation", x: epochs, y: epochs.map { 2 * exp(-$0 / 8) + 0.3 + 0.002 * $0 * $0 })
    return plot
}

@Suite struct TerminalPlotTests {
    @Test func asciiPlotHasTheRequestedSizeAndALegend() {
        let text = lossCurves().renderASCII()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 16)
        #expect(lines.allSatisfy { $0.count <= 60 })
        #expect(lines.contains { $0.count == 60 })   // the x axis spans the width
        #expect(lines.last?.contains("* train") == true)
        #expect(lines.last?.contains("+ validation") == true)
        #expect(lines.last?.contains("x: epoch") == true)
        #expect(lines.first?.trimmingCharacters(in: .whitespaces) == "loss")
        #expect(text.contains("*") && text.contains("+"))
    }

    @Test func asciiPlotPutsHighValuesHigh() {
        var plot = TerminalPlot(width: 40, height: 10)
        plot.add("rising", y: [0, 1, 2, 3, 4])
        let grid = plot.renderASCII().split(separator: "\n").prefix(7).map { String($0.split(separator: "|", maxSplits: 1).last ?? "") }
        #expect(grid.first?.last == "*")    // top row: the highest value, at the right
        #expect(grid.last?.first == "*")    // bottom row: the lowest value, at the left
    }

    @Test func logScaleSkipsNonPositiveValuesAndSaysSo() {
        var plot = TerminalPlot(yLabel: "loss", logY: true, width: 50, height: 12)
        plot.add("loss", y: [100, 10, 1, 0.1, 0, -1, .nan])
        let text = plot.renderASCII()
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count == 13)
        #expect(text.contains("y: loss (log scale)"))
        #expect(text.contains("100"))
    }

    @Test func emptyPlotSaysSoAtFullHeight() {
        let text = TerminalPlot(width: 40, height: 8).renderASCII()
        #expect(text.contains("no data"))
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count == 9)
    }

    @Test func flatAndSinglePointSeriesDraw() {
        var plot = TerminalPlot(width: 40, height: 10)
        plot.add("flat", y: [1, 1, 1])
        plot.add("dot", x: [1], y: [1])
        let text = plot.renderASCII()
        #expect(text.contains("*") && text.contains("+"))
    }

    @Test func fromCSVReadsColumnsAndSkipsEmptyCells() throws {
        let out = try OutputFolder(try temporaryFolder())
        try out.writeCSV(
            "metrics.csv", header: ["epoch", "loss", "eval_loss"],
            rows: [["1", "2.0", "2.1"], ["2", "1.5", ""], ["3", "1.2", "1.6"]])
        let plot = try TerminalPlot.fromCSV(out.file("metrics.csv"), x: "epoch", y: ["loss", "eval_loss"])
        #expect(plot.series == [
            Series("loss", x: [1, 2, 3], y: [2.0, 1.5, 1.2]),
            Series("eval_loss", x: [1, 3], y: [2.1, 1.6]),
        ])
        #expect(plot.xLabel == "epoch")
    }

    @Test func fromCSVGroupsALongTable() throws {
        let out = try OutputFolder(try temporaryFolder())
        try out.writeCSV(
            "schedules.csv", header: ["step", "schedule", "lr"],
            rows: [["0", "linear", "0"], ["0", "constant", "0.001"], ["1", "linear", "0.0001"], ["1", "constant", "0.001"]])
        let plot = try TerminalPlot.fromCSV(out.file("schedules.csv"), x: "step", y: ["lr"], groupBy: "schedule")
        #expect(plot.series.map(\.name) == ["linear", "constant"])
        #expect(plot.series[0].y == [0, 0.0001])
    }

    @Test func fromCSVNamesAMissingColumnOrFile() throws {
        let out = try OutputFolder(try temporaryFolder())
        try out.writeCSV("metrics.csv", header: ["epoch", "loss"], rows: [["1", "2"]])
        #expect(throws: LessonError("\(out.file("metrics.csv")) has no column \"eval_loss\" (its columns: epoch, loss)")) {
            try TerminalPlot.fromCSV(out.file("metrics.csv"), x: "epoch", y: ["eval_loss"])
        }
        #expect(throws: LessonError.self) {
            try TerminalPlot.fromCSV(out.file("missing.csv"), x: "epoch", y: ["loss"])
        }
    }

    @Test(.enabled(if: TerminalPlot.gnuplotPath != nil, "needs gnuplot on the PATH"))
    func gnuplotDrawsTheSameSize() throws {
        let text = try #require(lossCurves().renderWithGnuplot())
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count <= 16)
        #expect(lines.allSatisfy { $0.count <= 60 })
        #expect(text.contains("train"))
        #expect(text.contains("validation"))
        #expect(!text.contains("\u{0C}"))
    }

    @Test func renderFallsBackWithoutGnuplot() {
        var plot = lossCurves()
        plot.useGnuplot = false
        #expect(plot.render() == plot.renderASCII())
    }
}
