import Foundation

/// One named curve of a plot: y against x, such as validation loss against epoch.
public struct Series: Equatable, Sendable {
    public var name: String
    public var x: [Double]
    public var y: [Double]

    public init(_ name: String, x: [Double], y: [Double]) {
        self.name = name
        self.x = x
        self.y = y
    }

    /// Points whose y can be drawn: finite, and above zero on a log scale (NaN losses are skipped).
    func points(logY: Bool) -> [(x: Double, y: Double)] {
        zip(x, y).filter { $0.0.isFinite && $0.1.isFinite && (!logY || $0.1 > 0) }
            .map { (x: $0.0, y: logY ? log10($0.1) : $0.1) }
    }
}

/// A line plot in the terminal: the curve that tells a lesson's story, right after the run.
///
///     var plot = TerminalPlot(title: "loss", xLabel: "epoch")
///     plot.add("train", x: epochs, y: trainLoss)
///     plot.add("validation", x: epochs, y: validationLoss)
///     plot.show(quiet: options.quiet)
///
/// It draws through gnuplot's text terminal (`set terminal dumb`) when gnuplot is installed, the
/// same program that draws the book's figures; otherwise it draws the curves itself, with one
/// marker character per series and a legend, so a plot always appears.
public struct TerminalPlot: CustomStringConvertible, Sendable {
    public var series: [Series] = []
    public var title: String
    public var xLabel: String
    public var yLabel: String
    /// Plot log10(y), for losses that fall over orders of magnitude. Values <= 0 are skipped.
    public var logY: Bool
    /// Size in characters: columns and lines, the whole plot included.
    public var width: Int
    public var height: Int
    /// Set to false to always use the built-in plotter.
    public var useGnuplot = true

    public init(
        title: String = "", xLabel: String = "", yLabel: String = "", logY: Bool = false,
        width: Int = 78, height: Int = 20
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logY = logY
        self.width = width
        self.height = height
    }

    public mutating func add(_ name: String, x: [Double], y: [Double]) {
        series.append(Series(name, x: x, y: y))
    }

    /// A series against its index: 0, 1, 2, ...
    public mutating func add(_ name: String, y: [Double]) {
        add(name, x: y.indices.map(Double.init), y: y)
    }

    /// The plot as text: through gnuplot when it is on the PATH, otherwise the built-in plotter.
    public func render() -> String {
        if useGnuplot, let text = renderWithGnuplot() { return text }
        return renderASCII()
    }

    public var description: String { render() }

    /// Prints the plot unless `quiet`.
    public func show(quiet: Bool = false) {
        if !quiet { Terminal.write(render()) }
    }
}

// MARK: - From a CSV file

extension TerminalPlot {
    /// A plot of columns of a CSV file, such as the metrics log a run wrote:
    /// `try TerminalPlot.fromCSV("metrics.csv", x: "epoch", y: ["loss", "eval_loss"])`.
    ///
    /// Cells that are empty or not numbers are skipped, so a column logged only on some rows
    /// (`eval_loss` every few steps) still plots. With `groupBy`, a "long" table such as
    /// `step,schedule,lr` gives one series per value of the `schedule` column.
    public static func fromCSV(
        _ path: String, x: String, y: [String], groupBy: String? = nil,
        title: String = "", logY: Bool = false, width: Int = 78, height: Int = 20
    ) throws -> TerminalPlot {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw LessonError("cannot read \(path): \(systemReason(error))")
        }
        let table = CSVTable(parsing: text)
        func column(_ name: String) throws -> [String] {
            guard let cells = table.column(name) else {
                throw LessonError(
                    "\(path) has no column \"\(name)\" "
                        + "(its columns: \(table.header.joined(separator: ", ")))")
            }
            return cells
        }

        var plot = TerminalPlot(
            title: title, xLabel: x, yLabel: y.count == 1 ? y[0] : "", logY: logY,
            width: width, height: height)
        let xs = try column(x)
        let groups = try groupBy.map(column)
        let groupNames = groups.map { names in
            names.reduce(into: [String]()) { seen, name in if !seen.contains(name) { seen.append(name) } }
        } ?? [""]

        for name in y {
            let ys = try column(name)
            for group in groupNames {
                var series = Series(name, x: [], y: [])
                if groups != nil { series.name = y.count == 1 ? group : "\(group) \(name)" }
                for row in ys.indices where groups?[row] ?? group == group {
                    if let xValue = Double(xs[row]), let yValue = Double(ys[row]) {
                        series.x.append(xValue)
                        series.y.append(yValue)
                    }
                }
                plot.series.append(series)
            }
        }
        return plot
    }
}
