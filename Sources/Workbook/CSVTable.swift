/// A table of text cells written and read as CSV (RFC 4180), the format gnuplot and the book read.
///
/// A cell holding a comma, a double quote or a line break is wrapped in double quotes, with its
/// quotes doubled: `say "hi", twice` becomes `"say ""hi"", twice"`. Everything else is written as is.
public struct CSVTable: Equatable, Sendable {
    public var header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = rows
    }

    public mutating func addRow(_ cells: [String]) {
        rows.append(cells)
    }

    /// The cells of one column by its header name, or `nil` if there is no such column.
    /// Short rows give empty cells.
    public func column(_ name: String) -> [String]? {
        guard let index = header.firstIndex(of: name) else { return nil }
        return rows.map { index < $0.count ? $0[index] : "" }
    }

    /// The CSV text: the header line, then one line per row, each ending in a newline.
    public func render() -> String {
        ([header] + rows).map { row in
            row.map(Self.quoted).joined(separator: ",") + "\n"
        }.joined()
    }

    static func quoted(_ cell: String) -> String {
        let needsQuotes = cell.contains { $0 == "," || $0 == "\"" || $0.isNewline }
        guard needsQuotes else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Reads CSV text: the first record is the header. Quoted cells may hold commas, doubled
    /// quotes and line breaks. Accepts `\n` and `\r\n` line ends; blank lines are skipped.
    public init(parsing text: String) {
        var records: [[String]] = []
        var record: [String] = []
        var cell = ""
        var inQuotes = false
        var cellWasQuoted = false
        var characters = text.makeIterator()
        var pending: Character? = nil

        func endCell() {
            record.append(cell)
            cell = ""
            cellWasQuoted = false
        }
        func endRecord() {
            endCell()
            if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
            record = []
        }

        while let character = pending ?? characters.next() {
            pending = nil
            if inQuotes {
                if character == "\"" {
                    let next = characters.next()
                    if next == "\"" {
                        cell.append("\"")   // a doubled quote is one quote
                    } else {
                        inQuotes = false
                        pending = next
                    }
                } else {
                    cell.append(character)
                }
            } else if character == "\"" && cell.isEmpty && !cellWasQuoted {
                inQuotes = true
                cellWasQuoted = true
            } else if character == "," {
                endCell()
            } else if character.isNewline {   // "\r\n" is one Character in Swift
                endRecord()
            } else {
                cell.append(character)
            }
        }
        if !cell.isEmpty || !record.isEmpty || cellWasQuoted { endRecord() }

        self.header = records.first ?? []
        self.rows = Array(records.dropFirst())
    }
}
