import Foundation

/// A results table that reads well in a terminal and is also a Markdown pipe table the book shows.
///
///     var table = Table(["run", "final loss", "best epoch"])
///     table.addRow("overfit", fmt(0.5234), "14")
///     print(table.render())
///
///     | run     | final loss | best epoch |
///     |:--------|-----------:|-----------:|
///     | overfit |      0.523 |         14 |
///
/// Columns whose cells are all numbers (`0.523`, `40,000`, `87.3%`, `2.1s`) are right-aligned so
/// their digits line up; other columns are left-aligned.
public struct Table: CustomStringConvertible, Sendable {
    public enum Alignment: Sendable { case left, right }

    public let columns: [String]
    public private(set) var rows: [[String]] = []
    /// Fixed alignments, one per column; `nil` chooses from the cells.
    public var alignments: [Alignment]?

    public init(_ columns: [String], alignments: [Alignment]? = nil) {
        self.columns = columns
        self.alignments = alignments
    }

    public mutating func addRow(_ cells: [String]) {
        if cells.count > columns.count {
            Workbook.fail(
                "Table: a row has \(cells.count) cells but the table has \(columns.count) columns "
                    + "(\(columns.joined(separator: ", ")))")
        }
        rows.append(cells + Array(repeating: "", count: columns.count - cells.count))
    }

    public mutating func addRow(_ cells: String...) {
        addRow(cells)
    }

    /// The same cells as CSV, to write next to the metrics.
    public var csv: CSVTable { CSVTable(header: columns, rows: rows) }

    public var description: String { render() }

    /// The table as aligned Markdown, one line per row, ending in a newline.
    public func render() -> String {
        let header = columns.map(escaped)
        let body = rows.map { $0.map(escaped) }
        let aligns = alignments ?? columns.indices.map { column in
            let cells = rows.map { $0[column] }.filter { !$0.isEmpty }
            return !cells.isEmpty && cells.allSatisfy(looksNumeric) ? .right : .left
        }
        let widths = columns.indices.map { column in
            max(3, ([header] + body).map { $0[column].count }.max() ?? 0)
        }

        func line(_ cells: [String]) -> String {
            let padded = cells.indices.map { column in
                let gap = String(repeating: " ", count: widths[column] - cells[column].count)
                return aligns[column] == .right ? gap + cells[column] : cells[column] + gap
            }
            return "| " + padded.joined(separator: " | ") + " |\n"
        }
        // Markdown's alignment row: `:---` left, `---:` right, as wide as the column plus padding.
        let rule = columns.indices.map { column in
            let dashes = String(repeating: "-", count: widths[column] + 1)
            return aligns[column] == .right ? dashes + ":" : ":" + dashes
        }
        return line(header) + "|" + rule.joined(separator: "|") + "|\n" + body.map(line).joined()
    }

    /// A `|` inside a cell would end the cell in Markdown.
    private func escaped(_ cell: String) -> String {
        cell.replacingOccurrences(of: "|", with: "\\|")
    }
}

/// True for `0.523`, `-3`, `40,000`, `3.00e-04`, `87.3%`, `2.1s`, `1m 05s`, `1.5 MiB`, `14 epochs`,
/// `nan`, `inf`: a number first, possibly with thousands separators and units after it.
func looksNumeric(_ cell: String) -> Bool {
    let words = cell.lowercased().split(separator: " ")
    guard let first = words.first, isNumberWithUnit(first) else { return false }
    return words.dropFirst().allSatisfy { word in
        isNumberWithUnit(word) || word.allSatisfy { $0.isLetter || $0 == "%" }
    }
}

/// `0.523`, `40,000`, `87.3%`, `2.1s`, `1m`, `nan`: digits, then letters or `%` for a unit.
private func isNumberWithUnit(_ word: Substring) -> Bool {
    if ["nan", "inf", "-inf", "+inf"].contains(word) { return true }
    var number = word.replacingOccurrences(of: ",", with: "")
    while let last = number.last, last.isLetter || last == "%" { number.removeLast() }
    return !number.isEmpty && Double(number) != nil
}
