import Foundation

/// The built-in plotter: a character grid with axes, one marker per series and a legend.
///
/// It is what `TerminalPlot` falls back to without gnuplot, so a lesson shows its curve anywhere.
/// The picture is exactly `height` lines of at most `width` characters:
///
///                                 loss
///     2.2 |*
///         | **+++
///         |    **  ++++++++++++
///         |      ****          ++++
///     1.1 |          ***************
///         +--------------------------
///          1           2.5          4
///       * train   + validation   x: epoch
extension TerminalPlot {
    /// Marker characters, one per series, in order.
    static let markers: [Character] = ["*", "+", "o", "x", "#", "@", "%", "&"]

    public func renderASCII() -> String {
        let width = max(self.width, 24)
        let height = max(self.height, 6)
        let curves = series.map { $0.points(logY: logY) }
        let all = curves.flatMap { $0 }

        var lines: [String] = []
        if !title.isEmpty { lines.append(centered(title, in: width)) }
        let rows = height - lines.count - 3   // the grid; then axis, x ticks and legend

        guard let xMin = all.map(\.x).min(), let xMax = all.map(\.x).max(),
            var yMin = all.map(\.y).min(), var yMax = all.map(\.y).max()
        else {
            lines.append("(no data to plot)")
            return fill(lines, to: height)
        }
        if yMin == yMax {   // a flat line: give it some room above and below
            yMin -= 0.5
            yMax += 0.5
        }

        // Y labels: top, middle and bottom of the grid, in the data's own units.
        let yLabels = [yMax, (yMax + yMin) / 2, yMin].map { tick(logY ? pow(10, $0) : $0) }
        let margin = yLabels.map(\.count).max()!
        let columns = width - margin - 2   // "label |" then the grid

        func column(_ x: Double) -> Int {
            xMax == xMin ? columns / 2 : Int(((x - xMin) / (xMax - xMin) * Double(columns - 1)).rounded())
        }
        func row(_ y: Double) -> Int {
            Int(((yMax - y) / (yMax - yMin) * Double(rows - 1)).rounded())
        }

        var grid = Array(repeating: Array(repeating: Character(" "), count: columns), count: rows)
        for (index, points) in curves.enumerated() {
            let marker = Self.markers[index % Self.markers.count]
            for (a, b) in zip(points, points.dropFirst()) {
                // Walk the segment column by column; fill the rows between neighbours so steep
                // drops stay connected.
                let (c0, c1) = (column(a.x), column(b.x))
                var previous = row(a.y)
                for c in min(c0, c1)...max(c0, c1) {
                    let t = c1 == c0 ? 1 : Double(c - c0) / Double(c1 - c0)
                    let r = row(a.y + t * (b.y - a.y))
                    for fillRow in min(previous, r)...max(previous, r) { grid[fillRow][c] = marker }
                    previous = r
                }
            }
            if points.count == 1 { grid[row(points[0].y)][column(points[0].x)] = marker }
        }

        let labelRows = [0: yLabels[0], (rows - 1) / 2: yLabels[1], rows - 1: yLabels[2]]
        for (index, cells) in grid.enumerated() {
            let label = labelRows[index] ?? ""
            let padding = String(repeating: " ", count: margin - label.count)
            lines.append(trimmed(padding + label + " |" + String(cells)))
        }
        let axis = String(repeating: " ", count: margin + 1) + "+" + String(repeating: "-", count: columns)
        lines.append(axis)
        lines.append(xTicks(xMin, xMax, indent: margin + 2, columns: columns))
        lines.append(String(legend().prefix(width)))
        return fill(lines, to: height)
    }

    private func legend() -> String {
        var parts = series.indices.map { "\(Self.markers[$0 % Self.markers.count]) \(series[$0].name)" }
        if !xLabel.isEmpty { parts.append("x: \(xLabel)") }
        if !yLabel.isEmpty || logY {
            parts.append("y: \(yLabel.isEmpty ? "value" : yLabel)\(logY ? " (log scale)" : "")")
        }
        return "  " + parts.joined(separator: "   ")
    }

    /// Labels for the left end, middle and right end of the x axis.
    private func xTicks(_ xMin: Double, _ xMax: Double, indent: Int, columns: Int) -> String {
        var line = Array(repeating: Character(" "), count: indent + columns)
        func place(_ text: String, at start: Int) {
            let start = max(0, min(start, line.count - text.count))
            for (offset, character) in text.enumerated() { line[start + offset] = character }
        }
        let left = tick(xMin)
        let right = tick(xMax)
        let middle = tick((xMin + xMax) / 2)
        place(left, at: indent)
        place(right, at: indent + columns - right.count)
        let middleStart = indent + columns / 2 - middle.count / 2
        if xMin != xMax && middleStart > indent + left.count + 1
            && middleStart + middle.count < indent + columns - right.count - 1
        {
            place(middle, at: middleStart)
        }
        return trimmed(String(line))
    }

    /// A short axis label: `0.523`, `40000`, `1e-04`.
    private func tick(_ value: Double) -> String {
        String(format: "%.3g", value)
    }

    private func centered(_ text: String, in width: Int) -> String {
        let text = String(text.prefix(width))
        return String(repeating: " ", count: (width - text.count) / 2) + text
    }

    private func trimmed(_ line: String) -> String {
        String(line.reversed().drop(while: { $0 == " " }).reversed())
    }

    /// Exactly `height` lines, each ending in a newline.
    private func fill(_ lines: [String], to height: Int) -> String {
        let blank = Array(repeating: "", count: max(0, height - lines.count))
        let exact = Array((lines + blank).prefix(height))
        return exact.joined(separator: "\n") + "\n"
    }
}
