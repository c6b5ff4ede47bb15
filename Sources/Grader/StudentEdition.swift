import Foundation

/// `make student`: the package as a student receives it.
///
/// Every file git tracks is copied, except build output, `dist/` and the hidden tests; in
/// every Swift file each solution region becomes its stub; the manifest loses the names of
/// the hidden tests; `EXERCISES.md` (how to run and grade the exercises) is added, and
/// `exercises/STUDENT_EDITION` marks the copy so `make validate-exercises` knows where it is.
public struct StudentEdition {
    public let root: String
    public let manifest: Manifest

    public init(root: String, manifest: Manifest) {
        self.root = root
        self.manifest = manifest
    }

    /// Marks a student edition (its presence turns `make validate-exercises` off).
    public static let marker = "exercises/STUDENT_EDITION"
    public static let readme = "EXERCISES.md"

    /// True for paths that never go to students.
    public static func isExcluded(_ path: String) -> Bool {
        let first = path.split(separator: "/").first.map(String.init) ?? path
        return first.hasPrefix(".build") || first == "dist" || first == "book" && path.hasPrefix("book/build/")
            || path == Manifest.hiddenFolder || path.hasPrefix(Manifest.hiddenFolder + "/")
            || path == "grade.json"
    }

    /// Writes the edition into `destination` (emptied first) from `files` (paths relative to
    /// `root`), and returns the paths written.
    @discardableResult
    public func write(files: [String], to destination: String) throws -> [String] {
        let fm = FileManager.default
        try? fm.removeItem(atPath: destination)
        try fm.createDirectory(atPath: destination, withIntermediateDirectories: true)
        var written: [String] = []
        for file in files.sorted() where !Self.isExcluded(file) {
            let source = "\(root)/\(file)", target = "\(destination)/\(file)"
            var isFolder: ObjCBool = false
            guard fm.fileExists(atPath: source, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            try fm.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if file == Manifest.path {
                try write(studentManifest(), to: target)
            } else if file.hasSuffix(".swift"), let text = try? String(contentsOfFile: source, encoding: .utf8) {
                try write(try Stub.strip(text, file: file, manifest: manifest), to: target)
            } else {
                try fm.copyItem(atPath: source, toPath: target)
            }
            written.append(file)
        }
        try write(studentReadme(), to: "\(destination)/\(Self.readme)")
        try write("This folder is the student edition of the workbook (written by make student).\n",
                  to: "\(destination)/\(Self.marker)")
        return written + [Self.readme, Self.marker]
    }

    /// The manifest without the hidden tests' names.
    public func studentManifest() -> String {
        var copy = manifest
        for i in copy.exercises.indices { copy.exercises[i].hiddenTests = [] }
        return Self.encode(copy)
    }

    static func encode(_ manifest: Manifest) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(manifest)) ?? Data(), as: UTF8.self) + "\n"
    }

    /// `EXERCISES.md`: what to do, how to test one exercise, how grading works, the list.
    public func studentReadme() -> String {
        var text = """
        # Exercises

        Some functions in this workbook have their middle cut out. Where the code was, you find

        ```swift
        // EXERCISE ex00_1: the numerically stable softmax. Replace the next line with your code.
        exerciseNotSolved("ex00_1", ...)
        ```

        and anything that reaches that line stops with a message naming the exercise, the
        chapter that explains it and the file to fill in. Replace the call (and the comment, if
        you like) with your code.

        ## Check one exercise

        Every exercise has a test suite named after it (`ex03_2` is `Ex03_2` in
        `Tests/ExerciseTests/`). Run it with

        ```sh
        swift test -c release --filter 'ExerciseTests.Ex00_1/'
        ```

        A test that fails tells you which value was wrong; an unsolved exercise stops with its
        message. `make grade` runs every exercise and prints the table your teacher will see.

        ## How grading works

        Your teacher runs `make grade SUBMISSION=<your folder>`: each exercise's tests run in
        their own process with a time limit (a crash or an endless loop costs only that
        exercise), with the teacher's copy of `Tests/ExerciseTests/` (editing the tests gains
        nothing) and some further tests you do not see. An exercise earns its points when all
        its tests pass. The other tests of the package (`make test`) may stop at an unsolved
        exercise until you have solved it.

        ## The exercises

        | exercise | title | points | read |
        |---|---|---:|---|

        """
        for e in manifest.exercises {
            text += "| \(e.id) | \(e.title) | \(e.points) | \(e.chapter) |\n"
        }
        text += "\nTotal: \(manifest.totalPoints) points.\n"
        return text
    }

    func write(_ text: String, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw GraderError("cannot write \(path)")
        }
    }
}

/// The files git tracks under `root` (the student edition's and the overlay's file list).
public func trackedFiles(root: String) throws -> [String] {
    let result = try runProcess(["git", "ls-files", "-z"], in: root)
    guard result.status == 0 else {
        throw GraderError("git ls-files failed in \(root): \(result.output.trimmingWhitespace())")
    }
    return result.output.split(separator: "\0").map(String.init)
}
