import MiniTorch
import Workbook

/// `step,schedule,lr`: one row per schedule and step, the long format gnuplot filters by name.
/// schedules.csv is this table for the Hugging Face schedules.
public func schedulesTable(_ curves: [ScheduleCurve]) -> CSVTable {
    CSVTable(header: ["step", "schedule", "lr"], rows: curves.flatMap { curve in
        zip(curve.steps, curve.lrs).map { ["\($0)", curve.name, "\($1)"] }
    })
}

/// `step,run,lr,loss`: every step of every run, the rate it used and the loss of its batch.
public func runsTable(_ runs: [TrainingRun]) -> CSVTable {
    CSVTable(header: ["step", "run", "lr", "loss"], rows: runs.flatMap { run in
        run.losses.indices.map { ["\($0)", run.name, "\(run.lrs[$0])", "\(run.losses[$0])"] }
    })
}
