import Foundation

/// Drawing a `TerminalPlot` through gnuplot's text terminal.
///
/// Each series goes to a temporary data file (two columns, x and y), the script goes to gnuplot's
/// standard input, and the picture comes back on its standard output.
extension TerminalPlot {
    /// gnuplot's path when it is on the PATH, looked up once.
    static let gnuplotPath: String? = findOnPath("gnuplot")

    /// The plot drawn by gnuplot, or `nil` when gnuplot is missing or fails (bad data, say).
    public func renderWithGnuplot() -> String? {
        guard let gnuplot = Self.gnuplotPath, !series.isEmpty else { return nil }
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("workbook-plot-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: folder) }

        var plots: [String] = []
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (index, curve) in series.enumerated() {
                let file = folder.appendingPathComponent("series\(index).dat")
                let rows = zip(curve.x, curve.y).filter { $0.0.isFinite && $0.1.isFinite }
                    .map { "\($0.0) \($0.1)\n" }.joined()
                try Data(rows.utf8).write(to: file)
                plots.append("\(quoted(file.path)) using 1:2 with lines title \(quoted(curve.name))")
            }
        } catch {
            return nil
        }

        var script = "set terminal dumb size \(width),\(height)\n"
        if !title.isEmpty { script += "set title \(quoted(title))\n" }
        if !xLabel.isEmpty { script += "set xlabel \(quoted(xLabel))\n" }
        if !yLabel.isEmpty { script += "set ylabel \(quoted(yLabel))\n" }
        if logY { script += "set logscale y\n" }
        script += "set key top right opaque\nplot " + plots.joined(separator: ", ") + "\n"

        guard let output = run(gnuplot, input: script) else { return nil }
        // The dumb terminal starts each page with a form feed and pads lines with spaces.
        var lines = output.replacingOccurrences(of: "\u{0C}", with: "")
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { String($0.reversed().drop(while: { $0 == " " }).reversed()) }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.isEmpty ? nil : lines.joined(separator: "\n") + "\n"
    }

    /// A gnuplot string in single quotes, where the only escape is '' for a quote.
    private func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// Runs a program with `input` on its standard input; its output, or `nil` if it failed.
    private func run(_ program: String, input: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice   // gnuplot's warnings are not for learners
        do {
            try process.run()
        } catch {
            return nil
        }
        stdin.fileHandleForWriting.write(Data(input.utf8))   // a short script: fits in the pipe
        try? stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

/// The full path of an executable found in one of the PATH folders, or `nil`.
func findOnPath(_ name: String) -> String? {
    let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
    return folders.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}
