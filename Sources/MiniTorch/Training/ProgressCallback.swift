/// A callback made of closures, for progress bars and printing (HF's `ProgressCallback` and
/// `PrinterCallback` in one): `ProgressCallback(onStep: { bar.update($0.globalStep, of: $0.maxSteps) })`.
public final class ProgressCallback: TrainerCallback {
    let onStep: ((TrainerState) -> Void)?
    let onRow: ((MetricsRow) -> Void)?

    public init(onStep: ((TrainerState) -> Void)? = nil, onLog: ((MetricsRow) -> Void)? = nil) {
        self.onStep = onStep
        self.onRow = onLog
    }

    public func onStepEnd(state: TrainerState, control: inout TrainerControl) { onStep?(state) }
    public func onLog(_ row: MetricsRow, state: TrainerState, control: inout TrainerControl) { onRow?(row) }
}
