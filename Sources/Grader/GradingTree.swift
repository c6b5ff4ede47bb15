import Foundation

/// One version of an exercise's code: the teacher's (number 0), the student edition's stub (1),
/// or what one or more students wrote (2, 3, ...; students who wrote the same share one).
public struct Variant: Equatable, Sendable {
    public let number: Int
    /// The code for each of the exercise's regions, in the order of `GradingTree.regions(of:)`.
    public var regions: [[String]]

    public static let teacher = 0
    public static let stub = 1
}

/// Where one variant's code sits in the grading tree, so a compiler error can be traced back.
public struct VariantBlock: Equatable, Sendable {
    public let file: String
    public let exercise: String
    public let variant: Int
    /// Which region of the exercise (index into its regions).
    public let region: Int
    /// 1-based lines in the tree's file: the whole branch, and where the code itself starts.
    public let lines: ClosedRange<Int>
    public let codeStart: Int
}

/// The scratch package `make grade` builds once: the teacher's package in which every solution
/// region holds all versions of its code side by side, chosen when the tests run:
///
///     if gradingVariant("ex03_2") == 2 {
///         <what Alice and Bob wrote>
///     } else if gradingVariant("ex03_2") == 1 {
///         <the stub>
///     } else {
///         <the teacher's solution>
///     }
///
/// `GRADE_VARIANTS=ex03_2=2` runs ex03_2's tests on Alice's answer with every other exercise at
/// the teacher's solution, so each exercise is graded alone without a build of its own. A region
/// that is a whole function or closure body (its code may be one expression, returned without
/// `return`) wraps each version in a closure called in place: `return { ... }()`.
///
/// Test targets other than the exercises' are left out (one placeholder file each), and files
/// are rewritten only when their text changes, so the next build is incremental.
public struct GradingTree: Sendable {
    public let teacherRoot: String
    public let folder: String
    public let manifest: Manifest
    /// The teacher's files holding regions, stubbed.
    public let stubbed: [StubbedFile]
    /// The teacher's files (tracked and untracked, not ignored) that go into the tree.
    public let files: [String]
    /// A hash of the teacher's files: an answer's compile errors hold while it is unchanged.
    public let fingerprint: String

    /// The environment variable the tests read.
    public static let environmentKey = "GRADE_VARIANTS"
    static let switchFile = "GradingVariant.swift"

    public init(teacherRoot: String, folder: String, manifest: Manifest, files: [String]) throws {
        self.teacherRoot = teacherRoot
        self.folder = folder
        self.manifest = manifest
        self.files = files.filter { !Self.isLeftOut($0) }
        var stubbed: [StubbedFile] = []
        for file in self.files where file.hasSuffix(".swift") {
            guard let text = try? String(contentsOfFile: "\(teacherRoot)/\(file)", encoding: .utf8),
                  text.contains("BEGIN SOLUTION") else { continue }
            let s = try StubbedFile(text, file: file, manifest: manifest)
            if !s.regions.isEmpty { stubbed.append(s) }
        }
        self.stubbed = stubbed
        var all = "grading tree 1\n"
        for file in self.files.sorted() {
            all += file + "\n" + String(decoding: FileManager.default.contents(atPath: "\(teacherRoot)/\(file)") ?? Data(), as: UTF8.self)
        }
        fingerprint = fnv1a(all)
    }

    /// Build output, editions, grades and the book never go into the tree.
    static func isLeftOut(_ path: String) -> Bool {
        let first = path.split(separator: "/").first.map(String.init) ?? path
        return first.hasPrefix(".build") || first == "dist" || first == "grades" || first == ".git"
            || path.hasPrefix("book/build/") || path.hasPrefix("book/html/") || path == "grade.json"
    }

    /// The exercise's regions, in file order: (file index in `stubbed`, region index in the file).
    public func regions(of exercise: String) -> [(file: Int, region: Int)] {
        var out: [(Int, Int)] = []
        for (f, s) in stubbed.enumerated() {
            for (r, region) in s.regions.enumerated() where region.id == exercise { out.append((f, r)) }
        }
        return out
    }

    /// The teacher's code of each region of the exercise, and the stub's.
    public func teacherVariant(of exercise: String) -> Variant {
        Variant(number: Variant.teacher, regions: regions(of: exercise).map { stubbed[$0.file].regions[$0.region].body })
    }

    public func stubVariant(of exercise: String) -> Variant {
        Variant(number: Variant.stub, regions: regions(of: exercise).map { stubbed[$0.file].stub($0.region) })
    }

    /// Two versions are the same code when their lines match without indentation and blank lines.
    public static func sameCode(_ a: [[String]], _ b: [[String]]) -> Bool {
        func normal(_ r: [[String]]) -> [[String]] { r.map { $0.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty } } }
        return normal(a) == normal(b)
    }

    /// True when region `r` of the file is a whole function or closure body, where its code may be
    /// a lone expression returned implicitly (not a loop or `if` body, where a `return` inside
    /// would mean something else in a closure).
    static func isWholeBody(_ lines: [String], _ region: SolutionRegion) -> Bool {
        func code(_ line: String) -> Bool { let t = line.trimmingWhitespace(); return !t.isEmpty && !t.hasPrefix("//") }
        guard let before = lines[..<(region.begin - 1)].last(where: code)?.trimmingWhitespace(),
              let after = lines[region.end...].first(where: code)?.trimmingWhitespace(),
              after.hasPrefix("}"), before.hasSuffix("{") || before.hasSuffix(" in") else { return false }
        let control = ["for ", "while ", "if ", "guard ", "else", "}", "switch ", "case ", "default", "do ", "do{",
                       "repeat", "defer", "catch"]
        if control.contains(where: { before.hasPrefix($0) }) || before.contains("init(") || before.contains("init?(") { return false }
        return true
    }

    /// True when the code has a `try` that passes an error on (not `try?` or `try!`).
    static func throwsErrors(_ code: [String]) -> Bool {
        code.contains { $0.replacingOccurrences(of: "try?", with: "").replacingOccurrences(of: "try!", with: "").contains("try ") }
    }

    /// The tree's text of one file: each region replaced by the chain of its variants
    /// (`variants[exerciseID]`, the teacher's last); also returns where each variant landed.
    func text(of s: StubbedFile, variants: [String: [Variant]]) -> (String, [VariantBlock]) {
        var out: [String] = [], blocks: [VariantBlock] = []
        var next = 0
        var regionIndex: [String: Int] = [:]   // exercise -> its regions seen so far in this file
        let before = stubbed.prefix { $0.file != s.file }
        for region in s.regions {
            // The region's index among the exercise's regions across all files.
            let earlier = before.reduce(0) { $0 + $1.regions.filter { $0.id == region.id }.count }
            let k = earlier + regionIndex[region.id, default: 0]
            regionIndex[region.id, default: 0] += 1
            out += s.teacherLines[next..<(region.begin - 1)]
            next = region.end
            let ind = region.indentation
            let wrap = Self.isWholeBody(s.teacherLines, region)
            let chain = (variants[region.id] ?? []).filter { $0.number != Variant.teacher }.sorted { $0.number > $1.number }
            if chain.isEmpty {
                blocks.append(VariantBlock(file: s.file, exercise: region.id, variant: Variant.teacher, region: k,
                                           lines: (out.count + 1)...(out.count + max(1, region.body.count)), codeStart: out.count + 1))
                out += region.body
                continue
            }
            let condition = "gradingVariant(\(Stub.literal(region.id)))"
            for (i, variant) in (chain + [teacherVariant(of: region.id)]).enumerated() {
                let first = out.count + 1
                let isTeacher = i == chain.count
                out.append(ind + (i == 0 ? "if \(condition) == \(variant.number) {"
                                  : isTeacher ? "} else {" : "} else if \(condition) == \(variant.number) {"))
                let code = variant.regions[k]
                // A stub's call returns Never: it needs no closure (and could not be returned from one).
                let closure = wrap && variant.number != Variant.stub
                // `try` only for code that throws: inside a rethrowing call (withUnsafeBufferPointer)
                // a closure marked `try` would make the call throw.
                if closure { out.append(ind + (Self.throwsErrors(code) ? "return try {" : "return {")) }
                let codeStart = out.count + 1
                out += code
                if closure { out.append(ind + "}()") }
                if isTeacher { out.append(ind + "}") }
                blocks.append(VariantBlock(file: s.file, exercise: region.id, variant: variant.number, region: k,
                                           lines: first...out.count, codeStart: codeStart))
            }
        }
        out += s.teacherLines[next...]
        return (out.joined(separator: "\n"), blocks)
    }

    /// Writes (or brings up to date) the tree with these variants; returns where each landed.
    @discardableResult
    public func write(variants: [String: [Variant]]) throws -> [VariantBlock] {
        let fm = FileManager.default
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var wanted: [String: Data] = [:]
        var blocks: [VariantBlock] = []
        let testTargets = Set(files.compactMap { path -> String? in
            let parts = path.split(separator: "/")
            return parts.count > 2 && parts[0] == "Tests" ? "Tests/\(parts[1])" : nil
        })
        for file in files {
            if let target = testTargets.first(where: { file.hasPrefix($0 + "/") }), target != Manifest.testFolder { continue }
            if let s = stubbed.first(where: { $0.file == file }) {
                let (text, b) = self.text(of: s, variants: variants)
                wanted[file] = Data(text.utf8)
                blocks += b
            } else if file == "Package.swift", let data = fm.contents(atPath: "\(teacherRoot)/\(file)") {
                wanted[file] = Data(Self.unoptimised(String(decoding: data, as: UTF8.self)).utf8)
            } else if let data = fm.contents(atPath: "\(teacherRoot)/\(file)") {
                wanted[file] = data
            }
        }
        for target in testTargets where target != Manifest.testFolder {
            wanted["\(target)/Placeholder.swift"] = Data("// The grader builds only the exercises' tests; this target is left empty.\n".utf8)
        }
        guard let notSolved = files.first(where: { file in
            file.hasSuffix(".swift") && (wanted[file].map { data in
                String(decoding: data, as: UTF8.self).split(separator: "\n").contains { $0.hasPrefix("public func exerciseNotSolved(") }
            } ?? false)
        }) else {
            throw GraderError("no Swift file defines exerciseNotSolved(...), which the stubs call")
        }
        wanted[(notSolved as NSString).deletingLastPathComponent + "/" + Self.switchFile] = Data(Self.switchSource.utf8)
        // Stale files out, changed files in; an unchanged file keeps its date (incremental build).
        let present = (fm.enumerator(atPath: folder)?.allObjects as? [String] ?? [])
            .filter { !$0.hasPrefix(".build") }
        for path in present where wanted[path] == nil {
            var isFolder: ObjCBool = false
            if fm.fileExists(atPath: "\(folder)/\(path)", isDirectory: &isFolder), !isFolder.boolValue {
                try fm.removeItem(atPath: "\(folder)/\(path)")
            }
        }
        for (path, data) in wanted { try writeIfChanged(data, to: "\(folder)/\(path)") }
        return blocks
    }

    /// The line of the workbook's Package.swift that compiles MiniTorch and the lessons with `-O`.
    static let optimisationLine = "let optimizedInDebug: [SwiftSetting] = "

    /// The tree's manifest: the teacher's, nothing optimised. Grading runs only the exercises'
    /// tests (a third of a second in all, optimised or not), and the tree then builds in half the
    /// time (measured: 59 s against 120 s from empty on two cores).
    static func unoptimised(_ manifest: String) -> String {
        manifest.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix(optimisationLine) ? optimisationLine + "[]   // the grading tree: unoptimised" : String(line)
        }.joined(separator: "\n")
    }

    /// The file that chooses a version of each exercise's code when the tests run.
    static let switchSource = """
        // Written by the grader into its scratch tree only: which version of each exercise's code
        // runs, read once from GRADE_VARIANTS ("ex03_2=2,ex07_4=1"); 0, the default, is the teacher's.
        import Foundation

        let gradingVariants: [String: Int] = {
            var table: [String: Int] = [:]
            for item in (ProcessInfo.processInfo.environment["\(environmentKey)"] ?? "").split(separator: ",") {
                let parts = item.split(separator: "=")
                if parts.count == 2, let number = Int(parts[1]) { table[String(parts[0])] = number }
            }
            return table
        }()

        public func gradingVariant(_ exercise: String) -> Int { gradingVariants[exercise] ?? 0 }

        """
}

/// Writes `data` to `path` unless the file already holds exactly that (then its date stays).
func writeIfChanged(_ data: Data, to path: String) throws {
    let fm = FileManager.default
    if fm.contents(atPath: path) == data { return }
    try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    guard fm.createFile(atPath: path, contents: data) else { throw GraderError("cannot write \(path)") }
}
