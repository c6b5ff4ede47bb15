import Foundation

/// A lesson's progress, phase by phase, and its stop at the first non-finite loss.
///
/// A lesson's `run` takes one and reports each step of each phase (a training run, a sweep):
///
///     progress.update("full fine-tune", step: step, of: steps, metrics: ["loss": loss])
///
/// A new phase name finishes the bar of the one before and opens its own (a `ProgressBar`,
/// redrawn on a terminal, plain lines in a log). A metric whose name contains "loss" that is NaN
/// or infinite stops the run there: the entry point prints `error: the loss became NaN at step 3
/// of 450 (training); try a lower --learning-rate` and exits with status 1, instead of training on
/// for hundreds of steps of `loss nan`. Tests pass `.silent` (or their own handler).
public final class LessonProgress {
    let quiet: Bool
    /// Labels are padded to this width, so that bars of several phases line up.
    let labelWidth: Int
    let onNonFiniteLoss: (String) -> Void
    private var phase: String?
    private var bar: ProgressBar?

    public init(quiet: Bool, labelWidth: Int = 0, onNonFiniteLoss: @escaping (String) -> Void = { _ in }) {
        self.quiet = quiet
        self.labelWidth = labelWidth
        self.onNonFiniteLoss = onNonFiniteLoss
    }

    /// Shows nothing and never stops a run.
    public static var silent: LessonProgress { LessonProgress(quiet: true) }

    /// A copy that pads labels to `width` characters (for a lesson whose phase names differ in length).
    public func padding(labels width: Int) -> LessonProgress {
        LessonProgress(quiet: quiet, labelWidth: width, onNonFiniteLoss: onNonFiniteLoss)
    }

    /// `step` of `total` steps of `phase` are done, with the latest metrics in the order given.
    public func update(_ phase: String, step: Int, of total: Int, metrics: KeyValuePairs<String, Double> = [:]) {
        if phase != self.phase || bar?.total != total {
            bar?.finish()
            let label = labelWidth > phase.count ? phase.padding(toLength: labelWidth, withPad: " ", startingAt: 0) : phase
            bar = ProgressBar(total: total, label: label, quiet: quiet)
            self.phase = phase
        }
        bar?.update(step, metrics: metrics)
        for (name, value) in metrics where name.contains("loss") && !value.isFinite {
            bar?.finish()
            let shown = value.isNaN ? "NaN" : value > 0 ? "infinite" : "-infinite"
            onNonFiniteLoss("the \(name) became \(shown) at step \(step) of \(total) (\(phase)); try a lower --learning-rate")
        }
    }

    /// `update` for a phase whose parts train (a step with its loss) or not (nil: no metrics).
    public func update(_ phase: String, step: Int, of total: Int, loss: Double?) {
        if let loss {
            update(phase, step: step, of: total, metrics: ["loss": loss])
        } else {
            update(phase, step: step, of: total)
        }
    }

    /// Ends the last bar. Calling it twice is harmless.
    public func finish() {
        bar?.finish()
    }
}
