import Foundation

/// Puts a student's submission where it can be graded: a copy of their folder (without build
/// output), then the teacher's pristine copies of the files a student must not change laid
/// over it: the exercise tests (hidden ones included), the manifest, Package.swift and the
/// Makefile. A student who edits a test or the list of exercises gains nothing.
public struct Overlay {
    /// Paths (files or folders, relative to the root) that always come from the teacher.
    public static let pristine = [Manifest.testFolder, Manifest.path, "Package.swift", "Makefile", "mk"]

    public let teacherRoot: String

    public init(teacherRoot: String) { self.teacherRoot = teacherRoot }

    /// Copies `submission` into `workFolder` (replacing what was there, but keeping its
    /// `.build` so a second submission builds incrementally), then overlays the pristine files.
    public func prepare(submission: String, workFolder: String) throws {
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        guard fm.fileExists(atPath: submission, isDirectory: &isFolder), isFolder.boolValue else {
            throw GraderError("\(submission): no such folder to grade")
        }
        try fm.createDirectory(atPath: workFolder, withIntermediateDirectories: true)
        for item in try fm.contentsOfDirectory(atPath: workFolder) where !item.hasPrefix(".build") {
            try fm.removeItem(atPath: "\(workFolder)/\(item)")
        }
        for item in try fm.contentsOfDirectory(atPath: submission)
        where !item.hasPrefix(".build") && item != "dist" && item != ".git" && item != "grade.json" {
            try fm.copyItem(atPath: "\(submission)/\(item)", toPath: "\(workFolder)/\(item)")
        }
        for path in Self.pristine {
            let source = "\(teacherRoot)/\(path)", target = "\(workFolder)/\(path)"
            try? fm.removeItem(atPath: target)
            guard fm.fileExists(atPath: source) else { continue }
            try fm.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try fm.copyItem(atPath: source, toPath: target)
        }
    }
}
