import Foundation

/// `make student`: the package as a student receives it.
///
/// The teacher's files (tracked, and untracked ones git does not ignore) are copied, except build
/// output, `dist/`, the grades, the teacher's guide and the hidden tests; in every Swift file each
/// solution region becomes its stub; the manifest loses the names of the hidden tests. The
/// workbook's own test targets (which check the solved code) become one placeholder file each:
/// the student's tests are the exercises'. The student gets their own README, Makefile
/// (`make check EX=ex03_2`, `make test` = the score), `.ci/run` and `.gitignore`;
/// `exercises/STUDENT_EDITION` marks the copy.
///
/// Files are rewritten only when their text changes, so a rebuild of the edition is incremental.
public struct StudentEdition {
    public let root: String
    public let manifest: Manifest

    public init(root: String, manifest: Manifest) {
        self.root = root
        self.manifest = manifest
    }

    /// Marks a student edition (the grade tool then grades the student's own code).
    public static let marker = "exercises/STUDENT_EDITION"

    /// True for paths that never go to students.
    public static func isExcluded(_ path: String) -> Bool {
        GradingTree.isLeftOut(path) || path == Manifest.hiddenFolder || path.hasPrefix(Manifest.hiddenFolder + "/")
            || path == "exercises/README.md" || path.hasPrefix("mk/")
    }

    /// The test target folders (`Tests/X`) other than the exercises'.
    static func otherTestTargets(_ files: [String]) -> [String] {
        Set(files.compactMap { path -> String? in
            let parts = path.split(separator: "/")
            return parts.count > 2 && parts[0] == "Tests" && "Tests/\(parts[1])" != Manifest.testFolder ? "Tests/\(parts[1])" : nil
        }).sorted()
    }

    /// The edition's files and their contents.
    public func contents(files: [String]) throws -> [String: Data] {
        let fm = FileManager.default
        var out: [String: Data] = [:]
        let others = Self.otherTestTargets(files)
        for file in files.sorted() where !Self.isExcluded(file) {
            if others.contains(where: { file.hasPrefix($0 + "/") }) { continue }
            let source = "\(root)/\(file)"
            var isFolder: ObjCBool = false
            guard fm.fileExists(atPath: source, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            if file == Manifest.path {
                out[file] = Data(studentManifest().utf8)
            } else if file.hasSuffix(".swift"), let text = try? String(contentsOfFile: source, encoding: .utf8) {
                out[file] = Data(try Stub.strip(text, file: file, manifest: manifest).utf8)
            } else if let data = fm.contents(atPath: source) {
                out[file] = data
            }
        }
        for target in others {
            out["\(target)/Placeholder.swift"] = Data("""
                // The workbook's own tests check the solved code; they stay in the teacher's edition.
                // Yours are in Tests/ExerciseTests: `make check EX=ex03_2`, `make test`.

                """.utf8)
        }
        out["README.md"] = Data(StudentFiles.readme(manifest).utf8)
        let teacherMakefile = (try? String(contentsOfFile: "\(root)/Makefile", encoding: .utf8)) ?? ""
        out["Makefile"] = Data(StudentFiles.makefile(teacherMakefile: teacherMakefile).utf8)
        out[".ci/run"] = Data(StudentFiles.ciRun.utf8)
        out[".gitignore"] = Data(StudentFiles.gitignore.utf8)
        out[Self.marker] = Data("This folder is the student edition of the workbook (written by make student).\n".utf8)
        return out
    }

    /// Writes the edition into `destination`: changed files rewritten, files no longer in it
    /// removed, build folders and the book kept. Returns the paths it holds.
    @discardableResult
    public func write(files: [String], to destination: String) throws -> [String] {
        let fm = FileManager.default
        let wanted = try contents(files: files)
        try fm.createDirectory(atPath: destination, withIntermediateDirectories: true)
        let present = (fm.enumerator(atPath: destination)?.allObjects as? [String] ?? [])
            .filter { !$0.hasPrefix(".build") && !$0.hasPrefix("book/html") }
        for path in present where wanted[path] == nil {
            var isFolder: ObjCBool = false
            if fm.fileExists(atPath: "\(destination)/\(path)", isDirectory: &isFolder), !isFolder.boolValue {
                try fm.removeItem(atPath: "\(destination)/\(path)")
            }
        }
        for (path, data) in wanted { try writeIfChanged(data, to: "\(destination)/\(path)") }
        chmod("\(destination)/.ci/run", 0o755)
        return wanted.keys.sorted()
    }

    /// The manifest without the hidden tests' names.
    public func studentManifest() -> String {
        var copy = manifest
        for i in copy.exercises.indices { copy.exercises[i].hiddenTests = [] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(copy)) ?? Data(), as: UTF8.self) + "\n"
    }
}

/// The teacher's files to work from: tracked, and untracked ones git does not ignore (a hidden
/// test or an exercise a teacher has just written counts before it is committed).
public func workbookFiles(root: String) throws -> [String] {
    let result = try runProcess(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], in: root)
    guard result.status == 0 else {
        throw GraderError("git ls-files failed in \(root): \(result.output.trimmingWhitespace())")
    }
    var seen: Set<String> = []
    return result.output.split(separator: "\0").map(String.init).filter { seen.insert($0).inserted }
}
