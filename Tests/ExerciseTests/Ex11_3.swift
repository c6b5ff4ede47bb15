import Testing
import Monitoring

/// ex11_3: the training loss the Trainer logs (Lessons/11-monitoring/LoggedLoss.swift,
/// `loggedTrainingLoss`): the mean of the window's step losses; with `logging_nan_inf_filter`
/// (Hugging Face's default) a NaN or infinite step loss adds `tr_loss / (1 + global_step -
/// globalstep_last_logged)` instead: the sum of the window's earlier losses over the step's
/// place in the window (counted from 1). The logged value is the sum over the window's length.
@Suite("ex11_3: the logged training loss and logging_nan_inf_filter")
struct Ex11_3 {
    @Test func theWindowMean() {
        let logged = loggedTrainingLoss([1, 2, 3, 6])
        #expect(abs(logged - 3) < 1e-12, "logged \(logged), expected (1 + 2 + 3 + 6) / 4 = 3")
    }

    /// [1, 2, NaN, 4]: at the third step tr_loss = 3 and the divisor is 1 + 2 = 3, so it adds 1;
    /// the window's sum is 1 + 2 + 1 + 4 = 8 over 4 steps.
    @Test func aNaNStepIsReplaced() {
        let logged = loggedTrainingLoss([1, 2, .nan, 4])
        #expect(logged.isFinite && abs(logged - 2) < 1e-12, "logged \(logged), expected 8 / 4 = 2")
        let inf = loggedTrainingLoss([2, .infinity])
        #expect(abs(inf - 1.5) < 1e-12, "logged \(inf), expected (2 + 2/2) / 2 = 1.5")
    }

    /// The first step of a window has nothing before it: its sum is 0, so it adds 0.
    @Test func aNaNFirstStepAddsZero() {
        let logged = loggedTrainingLoss([.nan, 3, 5])
        #expect(abs(logged - 8.0 / 3) < 1e-12, "logged \(logged), expected (0 + 3 + 5) / 3")
    }

    @Test func withoutTheFilterTheNaNShows() {
        #expect(loggedTrainingLoss([1, 2, .nan, 4], loggingNanInfFilter: false).isNaN)
    }
}
