import Foundation

/// Three submissions the validation writes and grades, each a copy of the student edition:
/// `perfect` (every answer the teacher's), `partial` (every other exercise answered, the rest
/// left as stubs) and `broken` (as partial, but one answer in MiniTorch has a syntax error and
/// one in a lesson a type error). Expected: full marks; the answered ones only; the answered
/// ones except the two that do not compile, which are named at the line that holds the error.
struct Fabricated {
    let submissions: [Submission]
    /// expected[s][exercise]
    let expected: [[String: Outcome]]
    /// The broken submission's errors: exercise -> "file:line" the message must start with.
    let errorAt: [String: String]

    init(grading: Grading, edition: [String: Data], folder: String) throws {
        let tree = grading.tree, exercises = grading.manifest.exercises
        let answered = Set(exercises.enumerated().filter { $0.offset % 2 == 0 }.map(\.element.id))
        // A region that is a whole body may be a lone expression: an extra line there adds a
        // second error; pick exercises whose first region is not one.
        func candidate(under prefix: String) -> String? {
            exercises.first { e in
                guard answered.contains(e.id), let first = tree.regions(of: e.id).first else { return false }
                let s = tree.stubbed[first.file]
                return s.file.hasPrefix(prefix) && !GradingTree.isWholeBody(s.teacherLines, s.regions[first.region])
            }?.id
        }
        let syntax = candidate(under: "Sources/"), type = candidate(under: "Lessons/")
        var names = ["perfect", "partial", "broken"], expected: [[String: Outcome]] = [[:], [:], [:]]
        var errorAt: [String: String] = [:]
        for e in exercises {
            expected[0][e.id] = .passed
            expected[1][e.id] = answered.contains(e.id) ? .passed : .failed
            expected[2][e.id] = e.id == syntax || e.id == type ? .notBuilt : expected[1][e.id]
        }
        for (s, name) in names.enumerated() {
            var files = edition
            for stubbed in tree.stubbed {
                var lines: [String] = []
                let contexts = stubbed.contexts
                for (r, region) in stubbed.regions.enumerated() {
                    lines += contexts[r]
                    let solved = s == 0 || answered.contains(region.id)
                    let isFirst = tree.regions(of: region.id).first.map { tree.stubbed[$0.file].file == stubbed.file && $0.region == r } ?? false
                    if s == 2 && isFirst && (region.id == syntax || region.id == type) {
                        errorAt[region.id] = "\(stubbed.file):\(lines.count + 1):"
                        lines.append(region.indentation + (region.id == syntax ? "let = 1" : "let _: Int = \"not a number\""))
                    }
                    lines += solved ? region.body : stubbed.stub(r)
                }
                lines += contexts[stubbed.regions.count]
                files[stubbed.file] = Data(lines.joined(separator: "\n").utf8)
            }
            for (path, data) in files { try writeIfChanged(data, to: "\(folder)/\(name)/\(path)") }
        }
        names = names.map { "\(folder)/\($0)" }
        submissions = names.map { Submission(name: URL(fileURLWithPath: $0).lastPathComponent, folder: $0) }
        self.expected = expected
        self.errorAt = errorAt
    }

    /// Problems with how the broken submission's compile errors were reported.
    func checkCompileErrors(_ plan: Grading.Plan) -> [String] {
        var problems: [String] = []
        for (exercise, at) in errorAt.sorted(by: { $0.key < $1.key }) {
            let message = plan.problems[2][exercise] ?? "(none: it built)"
            if !message.hasPrefix(at) || !message.contains("error:") {
                problems.append("fabricated submission broken: \(exercise)'s compile error should be named at \(at), got: \(message)")
            }
        }
        if errorAt.count < 2 { problems.append("fabricated submission broken: found no exercise to break in Sources/ and in Lessons/") }
        return problems
    }
}
