import Foundation

/// Progress of a long loop: a redrawn bar on a terminal, plain lines when the output is piped.
///
///     var bar = ProgressBar(total: steps, label: "training", quiet: options.quiet)
///     for step in 1...steps {
///         ...
///         bar.update(step, metrics: ["loss": loss])
///     }
///     bar.finish()
///
/// On a terminal one line is redrawn in place with a carriage return:
/// `training [#####################.........] 70/100  loss 0.523  2.1s`
/// at most 20 times a second, so drawing never slows training down. When the output goes to a
/// file or a pipe, a carriage return would leave a mess, so the bar prints a plain line every 10%
/// instead: `training  70/100 (70%)  loss 0.523`. Those lines carry no timings, so the same seed
/// gives the same log, byte for byte.
public struct ProgressBar {
    public enum Style: Sendable {
        /// One line redrawn in place (for a person watching a terminal).
        case terminal
        /// A plain line every 10% (for logs and pipes).
        case lines
        /// Nothing (`--quiet`).
        case silent
    }

    public let total: Int
    public let label: String
    public let style: Style
    /// Characters between the brackets of the terminal bar.
    public var width = 30

    private let clock: () -> Double
    private let write: (String) -> Void
    private let start: Double
    private var lastDraw: Double = -.infinity
    private var nextPercent = 10
    private var step = 0
    private var drawnStep = -1
    private var metricsText = ""
    private var finished = false

    /// - Parameters:
    ///   - style: `nil` chooses: silent when `quiet`, a bar on a terminal, lines otherwise.
    ///   - clock: seconds from any fixed point; tests pass their own.
    ///   - write: where the text goes; standard output unless a test captures it.
    public init(
        total: Int, label: String = "", quiet: Bool = false, style: Style? = nil,
        clock: @escaping () -> Double = ProgressBar.monotonicSeconds,
        write: ((String) -> Void)? = nil
    ) {
        self.total = max(total, 0)
        self.label = label
        self.style = style ?? (quiet ? .silent : Terminal.isInteractive ? .terminal : .lines)
        self.clock = clock
        self.start = clock()
        self.write = write ?? Terminal.write
    }

    /// Reports that `step` of `total` steps are done, with the latest metrics in the order given.
    public mutating func update(_ step: Int, metrics: KeyValuePairs<String, Double> = [:]) {
        self.step = min(max(step, 0), total)
        metricsText = metrics.map { "  \($0.key) \(fmtMetric($0.value))" }.joined()
        switch style {
        case .silent:
            return
        case .terminal:
            let now = clock()
            if now - lastDraw >= 0.05 || self.step == total {   // at most ~20 redraws a second
                lastDraw = now
                drawnStep = self.step
                // ESC[K clears whatever a longer previous line left on screen.
                write("\r" + barLine(now: now) + "\u{1B}[K")
            }
        case .lines:
            let percent = total == 0 ? 100 : self.step * 100 / total
            if percent >= nextPercent {
                nextPercent = (percent / 10 + 1) * 10
                write(plainLine() + "\n")
            }
        }
    }

    /// Ends the bar: draws its last state and moves to a new line. Calling it twice is harmless.
    public mutating func finish() {
        guard !finished else { return }
        finished = true
        switch style {
        case .silent:
            return
        case .terminal:
            // The last state is on screen already unless throttling skipped it.
            write(drawnStep == step ? "\n" : "\r" + barLine(now: clock()) + "\u{1B}[K\n")
        case .lines:
            if nextPercent <= 100 || step < total { write(plainLine() + "\n") }
        }
    }

    func barLine(now: Double) -> String {
        let filled = total == 0 ? width : step * width / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let prefix = label.isEmpty ? "" : label + " "
        return "\(prefix)[\(bar)] \(step)/\(total)\(metricsText)  \(fmtSeconds(now - start))"
    }

    func plainLine() -> String {
        let percent = total == 0 ? 100 : step * 100 / total
        let prefix = label.isEmpty ? "" : label + "  "
        return "\(prefix)\(step)/\(total) (\(percent)%)\(metricsText)"
    }

    /// Seconds on a clock that never jumps back (unlike the wall clock).
    public static func monotonicSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
