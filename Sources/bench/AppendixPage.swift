import Foundation

/// The book's performance appendix, written from the numbers of this run (the same ones as
/// bench.json), so the page can never disagree with the measurement.
func appendixPage(_ report: Report) -> String {
    let date = ISO8601DateFormatter.string(from: Date(), timeZone: .init(identifier: "UTC")!, formatOptions: [.withFullDate])
    var page = """
    # Appendix: how fast is MiniTorch?

    Every number on this page was measured by `make bench` (`.build-bench/release/bench`) on \(date),
    on \(Machine.description) (1-minute load average \(fmt(report.json["load_average_at_start"] as? Double ?? 0)) at
    the start\((report.json["quick"] as? Bool ?? false) ? ", quick mode" : "")), and is also in `book/build/bench/bench.json`.
    Run it again to replace them with your machine's. Shared machines are noisy: the ratios,
    measured against a reference in the same run, mean more than the absolute times. The
    one-thread comparisons are timed in CPU time of the running thread, and the training step
    also shows it next to the wall clock: with a load average above the 2 cores, the wall clock
    mostly measures how long other processes held them.

    The PyTorch times of the encoder's steps are not measured here: they are PyTorch 2.x eager on a
    2-core machine of the same kind (the reference the course was planned against), for exactly
    the same step. The GPT step's PyTorch time is measured in the same run when `make interop` has
    installed PyTorch (its table says which).

    """
    for (title, markdown) in report.tables {
        page += "\n## \(title)\n\n\(markdown)\n"
    }
    return page
}
