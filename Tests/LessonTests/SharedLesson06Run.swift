import Foundation
import MiniTorch
import MaskedLanguageModeling

/// Lesson 06's default run, made once per test process (about 20-30 s in release): Lesson06Tests
/// check its numbers, and its model, saved as lesson 06 saves it, is the base that the tests of
/// lessons 07 and 08 fine-tune. Without it each of those suites pretrained the same model again.
enum SharedLesson06Run {
    nonisolated(unsafe) static let result = Result<LessonResult, any Error> {
        BLAS.setThreads(1)   // as the executable: the same order of sums, the same numbers
        return try runLesson(PretrainingSettings())
    }

    /// A lesson 06 output folder holding that run's `model/` (written once), for
    /// `pretrainedBase` / `loadPretrainedBase` to load instead of pretraining.
    nonisolated(unsafe) static let folder = Result<String, any Error> {
        let r = try result.get()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lesson06-run-\(UUID().uuidString)").path
        try savePretrained(r.run.model, tokenizer: r.corpus.tokenizer, settings: r.settings, to: folder)
        return folder
    }
}
