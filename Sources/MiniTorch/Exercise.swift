import Foundation

/// What the student edition puts where a solution was cut out (`make student`).
///
/// A teacher's code holds the reference solution between `// BEGIN SOLUTION ex03_2` and
/// `// END SOLUTION`; in the student edition those lines become a call to this function, so the
/// package still compiles and a run that reaches the missing code stops with one line naming the
/// exercise, the chapter that explains it and the file to edit:
///
///     error: exercise ex03_2 (the cosine schedule with warmup) is not solved yet:
///     read Lessons/03-lr-schedules/chapter.md, then fill in Sources/MiniTorch/Optim/LRSchedule.swift
///
/// (one line when printed). It returns `Never`, so it stands in for a value, a `return` or a
/// closure body alike.
public func exerciseNotSolved(_ id: String, _ title: String, chapter: String, file: String = #fileID) -> Never {
    FileHandle.standardError.write(Data(
        "error: exercise \(id) (\(title)) is not solved yet: read \(chapter), then fill in \(file)\n".utf8))
    exit(1)
}
