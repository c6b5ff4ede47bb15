import Foundation

/// One logged moment of a run: a training-loss report, an evaluation, or both.
/// Values that were not measured at this moment are nil (an empty CSV cell).
public struct MetricsRow: Sendable, Equatable {
    public var step: Int
    public var epoch: Double
    public var lr: Double?
    public var loss: Double?
    public var evalLoss: Double?
    public var accuracy: Double?
    public var gradNorm: Double?
    /// Seconds since training started.
    public var seconds: Double?
    /// Any further named columns (`perplexity`, `peak_mb`, ...), in the order added.
    public var extra: [(String, Double)]

    public init(step: Int, epoch: Double, lr: Double? = nil, loss: Double? = nil, evalLoss: Double? = nil,
                accuracy: Double? = nil, gradNorm: Double? = nil, seconds: Double? = nil, extra: [(String, Double)] = []) {
        self.step = step
        self.epoch = epoch
        self.lr = lr
        self.loss = loss
        self.evalLoss = evalLoss
        self.accuracy = accuracy
        self.gradNorm = gradNorm
        self.seconds = seconds
        self.extra = extra
    }

    /// The value of column `name` ("step", "eval_loss", or an extra column's name).
    public subscript(name: String) -> Double? {
        switch name {
        case "step": return Double(step)
        case "epoch": return epoch
        case "lr": return lr
        case "loss": return loss
        case "eval_loss": return evalLoss
        case "accuracy": return accuracy
        case "grad_norm": return gradNorm
        case "seconds": return seconds
        default: return extra.first { $0.0 == name }?.1
        }
    }

    public static func == (a: MetricsRow, b: MetricsRow) -> Bool {
        MetricsLog.standardColumns.allSatisfy { a[$0] == b[$0] || (a[$0]?.isNaN == true && b[$0]?.isNaN == true) }
            && a.extra.map(\.0) == b.extra.map(\.0) && a.extra.map(\.1) == b.extra.map(\.1)
    }
}

/// A run's metrics, one row per logged step or epoch, written as CSV (for gnuplot and
/// spreadsheets) and as JSON lines (one object per row, like HF's `trainer_state.json`
/// `log_history`). Column names follow Hugging Face's log keys where they exist.
public struct MetricsLog: Sendable {
    /// The columns every CSV has, in this order; extra columns follow in first-seen order.
    public static let standardColumns = ["step", "epoch", "lr", "loss", "eval_loss", "accuracy", "grad_norm", "seconds"]

    public private(set) var rows: [MetricsRow] = []

    public init(rows: [MetricsRow] = []) { self.rows = rows }

    public mutating func append(_ row: MetricsRow) { rows.append(row) }

    /// Every column name in use: the standard ones, then the extras.
    public var columns: [String] {
        var names = MetricsLog.standardColumns
        for row in rows { for (name, _) in row.extra where !names.contains(name) { names.append(name) } }
        return names
    }

    /// The (step, value) pairs of the rows that have `column`: what a curve plots.
    public func series(_ column: String) -> [(step: Int, value: Double)] {
        rows.compactMap { row in row[column].map { (row.step, $0) } }
    }

    /// A header line, then one line per row; missing values are empty cells.
    public func csv() -> String {
        let columns = columns
        var lines = [columns.joined(separator: ",")]
        for row in rows {
            lines.append(columns.map { name in row[name].map { MetricsLog.format($0, integer: name == "step") } ?? "" }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One JSON object per line with the values a row has: `{"step":10,"epoch":0.5,"loss":0.69}`.
    /// NaN and infinity, which JSON cannot hold, are written as null.
    public func jsonLines() -> String {
        let columns = columns
        return rows.map { row in
            let fields = columns.compactMap { name -> String? in
                guard let value = row[name] else { return nil }
                return "\"\(name)\":\(value.isFinite ? MetricsLog.format(value, integer: name == "step") : "null")"
            }
            return "{" + fields.joined(separator: ",") + "}\n"
        }.joined()
    }

    /// Writes `csv()` and `jsonLines()`, each atomically (a crash never leaves half a log).
    public func write(csv csvURL: URL, jsonLines jsonURL: URL? = nil) throws {
        try AtomicFile.write(csv(), to: csvURL)
        if let jsonURL { try AtomicFile.write(jsonLines(), to: jsonURL) }
    }

    /// The shortest text that reads back as the same number. Values that came from a Float
    /// print as that Float ("0.1", not "0.10000000149011612").
    public static func format(_ value: Double, integer: Bool = false) -> String {
        if integer, value.isFinite, value == value.rounded() { return String(Int(value)) }
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        let f = Float(value)
        return Double(f) == value ? "\(f)" : "\(value)"
    }
}
