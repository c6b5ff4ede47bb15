import Foundation

/// Seconds of CPU time this thread has used. The one-thread comparisons (matmul, kernels) time
/// with it rather than the wall clock: on a shared machine the wall clock also counts the time
/// other processes held the core, which says nothing about either side of a ratio.
func threadSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

func wallSeconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }

/// Median time of `body` in seconds (thread CPU time) over `repeats` runs after `warmup` runs.
/// The median ignores the odd slow run; comparisons are made between timings in the same run.
func median(repeats: Int, warmup: Int = 2, _ body: () -> Void) -> Double {
    for _ in 0..<warmup { body() }
    var times: [Double] = []
    for _ in 0..<repeats {
        let start = threadSeconds()
        body()
        times.append(threadSeconds() - start)
    }
    return times.sorted()[times.count / 2]
}

/// Times two bodies in alternation (`rounds` medians each) and returns the median of each, so
/// that a burst of noise from a neighbour on the machine hits both alike.
func interleaved(rounds: Int = 5, repeats: Int, _ a: () -> Void, _ b: () -> Void) -> (Double, Double) {
    var ta: [Double] = [], tb: [Double] = []
    for _ in 0..<rounds {
        ta.append(median(repeats: repeats, a))
        tb.append(median(repeats: repeats, b))
    }
    return (ta.sorted()[rounds / 2], tb.sorted()[rounds / 2])
}

func fmt(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }

/// What the bench measured: numbers for bench.json, and Markdown tables for the terminal and
/// the book's appendix.
struct Report {
    var json: [String: Any] = [:]
    /// Markdown sections in the order measured: (title, table).
    var tables: [(title: String, markdown: String)] = []

    /// Starts a table: prints its title and header; rows are added with `row`.
    mutating func table(_ title: String, _ header: [String]) {
        print(title)
        let align = header.enumerated().map { $0.offset == 0 ? "---" : "---:" }
        let lines = ["| " + header.joined(separator: " | ") + " |", "|" + align.joined(separator: "|") + "|"]
        lines.forEach { print($0) }
        tables.append((title, lines.joined(separator: "\n")))
    }

    mutating func row(_ cells: [String]) {
        let line = "| " + cells.joined(separator: " | ") + " |"
        print(line)
        tables[tables.count - 1].markdown += "\n" + line
    }

    mutating func note(_ text: String) {
        print(text)
        tables[tables.count - 1].markdown += "\n\n" + text
    }
}
