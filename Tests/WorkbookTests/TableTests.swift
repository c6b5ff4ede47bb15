import Testing
import Workbook

@Suite struct TableTests {
    @Test func alignsNumbersRightAndTextLeft() {
        var table = Table(["run", "final loss", "updates"])
        table.addRow("overfit", fmt(0.52341), fmt(40000))
        table.addRow("well-fit", fmt(0.4), fmt(800))
        #expect(table.render() == """
            | run      | final loss | updates |
            |:---------|-----------:|--------:|
            | overfit  |      0.523 |  40,000 |
            | well-fit |      0.400 |     800 |

            """)
    }

    @Test func everyLineHasTheSameWidth() {
        var table = Table(["schedule", "lr at step 50", "note"])
        table.addRow("cosine", fmtScientific(5e-4), "half way down")
        table.addRow("constant_with_warmup", fmtScientific(1e-3))
        let widths = Set(table.render().split(separator: "\n").map(\.count))
        #expect(widths.count == 1)
    }

    @Test func unitsAndPercentagesCountAsNumbers() {
        var table = Table(["micro-batch", "peak memory", "accuracy", "time"])
        table.addRow("8", fmtBytes(1_572_864), fmtPercent(0.873), fmtSeconds(2.14))
        table.addRow("32", fmtBytes(6_291_456), fmtPercent(0.9), fmtSeconds(65))
        let rule = table.render().split(separator: "\n")[1]
        #expect(rule == "|------------:|------------:|---------:|-------:|")
    }

    @Test func pipesInCellsAreEscaped() {
        var table = Table(["expression"])
        table.addRow("a | b")
        #expect(table.render().contains("a \\| b"))
    }

    @Test func fixedAlignmentsWin() {
        var table = Table(["id", "name"], alignments: [.left, .right])
        table.addRow("7", "x")
        #expect(table.render().split(separator: "\n")[1] == "|:----|-----:|")
    }

    @Test func shortRowsAreFilled() {
        var table = Table(["a", "b"])
        table.addRow("1")
        #expect(table.rows == [["1", ""]])
        #expect(table.csv.render() == "a,b\n1,\n")
    }
}

@Suite struct FormatTests {
    @Test func numbers() {
        #expect(fmt(0.12345, digits: 3) == "0.123")
        #expect(fmt(40000) == "40,000")
        #expect(fmt(-1234567) == "-1,234,567")
        #expect(fmt(999) == "999")
        #expect(fmt(40000.0, digits: 1) == "40,000.0")
        #expect(fmt(-0.0001, digits: 2) == "0.00")
        #expect(fmt(-12345.678, digits: 2) == "-12,345.68")
        #expect(fmt(Double.nan) == "nan")
        #expect(fmt(-Double.infinity) == "-inf")
        #expect(fmtPercent(0.873) == "87.3%")
        #expect(fmtScientific(3e-4) == "3.00e-04")
        #expect(fmtMetric(0.5234) == "0.523")
        #expect(fmtMetric(0.0003) == "3.00e-04")
        #expect(fmtMetric(0) == "0.000")
        #expect(fmtBytes(900) == "900 B")
        #expect(fmtBytes(1_572_864) == "1.5 MiB")
        #expect(fmtSeconds(2.14) == "2.1s")
        #expect(fmtSeconds(65) == "1m 05s")
    }
}
