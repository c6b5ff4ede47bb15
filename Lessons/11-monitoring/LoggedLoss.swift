import MiniTorch

/// The training loss a Hugging Face `Trainer` logs for one logging window: the mean of the
/// window's step losses. With `logging_nan_inf_filter` (True by default: "the loss of every step
/// that is nan or inf is filtered and the average loss of the current logging window is taken
/// instead"), the Trainer's loop adds `tr_loss / (1 + global_step - globalstep_last_logged)` for
/// such a step: the sum of the window's earlier losses divided by the step's place in the window
/// (1 for its first step, whose sum is still 0). The logged value is the sum over the window's
/// length. A NaN loss then never shows in the log; only `grad_norm` (and `eval_loss`) give it away.
public func loggedTrainingLoss(_ losses: [Float], loggingNanInfFilter: Bool = true) -> Double {
    // BEGIN SOLUTION ex11_3
    var sum = 0.0
    for (k, loss) in losses.enumerated() {
        if loggingNanInfFilter && !loss.isFinite {
            sum += sum / Double(k + 1)          // k earlier steps in the window: 1 + global_step - last_logged = k + 1
        } else {
            sum += Double(loss)
        }
    }
    return sum / Double(losses.count)
    // END SOLUTION
}
