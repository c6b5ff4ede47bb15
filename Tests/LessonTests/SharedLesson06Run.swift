import Foundation
import MiniTorch
@testable import MaskedLanguageModeling

/// Lesson 06's default run, made once per test process and shared: Lesson06Tests check its
/// numbers, and lessons 07 and 08 (their tests, and the determinism test's runs of their
/// executables) fine-tune the model it saves, as the book's runs of 07 and 08 load the book's run
/// of 06. Its folder is this process's own, so a learner's runs/06-masked-language-modeling is
/// neither read nor overwritten.
enum SharedLesson06Run {
    /// A lesson 06 output folder: `model/` holds the pretrained encoder, as the executable saves it.
    static let folder = scratchRoot.appendingPathComponent("shared/06-masked-language-modeling").path

    nonisolated(unsafe) static let result = Result<LessonResult, any Error> {
        BLAS.setThreads(1)   // as the executable: the same order of sums, the same numbers
        let r = try MaskedLanguageModeling.run(Settings())
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try savePretrained(r.run.model, tokenizer: r.corpus.tokenizer, settings: r.settings, to: folder)
        return r
    }

    /// The folder, once the run has saved its model there (the run's error if it failed).
    static func pretrainedFolder() throws -> String {
        _ = try result.get()
        return folder
    }
}
