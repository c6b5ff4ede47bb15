// lesson-03-lr-schedules: learning rates too low, too high and tuned; every schedule; warm-up; an
// LR range test.
import LRSchedules
import MiniTorch
import Workbook

enum Main: LessonMain {
    static let folder = "03-lr-schedules"
    static let abstract = "Learning rates too low, too high and tuned; every schedule; warmup; an LR range test."
    static let flags: [LessonFlag<Settings>] = [
        LessonFlag("--learning-rate", \.learningRate, "Peak learning rate of the schedules and of your run.", .positive),
        LessonFlag("--warmup-steps", \.warmupSteps, "Steps of linear warmup from 0 to the peak rate.", .atLeast(0)),
        LessonFlag("--max-steps", \.maxSteps, "Optimizer steps in every run (and the length of the schedules).", .range(1...10_000)),
        LessonFlag("--lr-scheduler-type", \.lrSchedulerType, "Schedule of your run.", .oneOf(SchedulerType.allCases.map(\.rawValue))),
    ]

    static func main(_ settings: Settings, _ lesson: LessonRun) throws {
        try report(run(settings, progress: lesson.progress), to: lesson.out)
    }
}

Main.main()
