import Foundation
import Testing
@testable import BookBuilder

/// Every chapter's includes and anchors resolve, every `{{#output name}}` is written by the
/// lesson's code (`cell("name"`), and every figure has its gnuplot script. This runs without
/// running the lessons, so a renamed anchor or cell fails `make test`, not just `make book`.
@Suite("Chapter references")
struct ChapterReferencesTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static var chapters: [String] {
        let lessons = (try? FileManager.default.contentsOfDirectory(atPath: "\(root)/Lessons")) ?? []
        return lessons.sorted().filter { FileManager.default.fileExists(atPath: "\(root)/Lessons/\($0)/chapter.md") }
    }

    @Test func everyLessonHasAChapter() {
        #expect(!Self.chapters.isEmpty)
    }

    @Test(arguments: chapters)
    func referencesResolve(lesson: String) throws {
        let folder = "Lessons/\(lesson)"
        let text = try String(contentsOfFile: "\(Self.root)/\(folder)/chapter.md", encoding: .utf8)
        let sources = try FileManager.default.contentsOfDirectory(atPath: "\(Self.root)/\(folder)")
            .filter { $0.hasSuffix(".swift") }
            .map { try String(contentsOfFile: "\(Self.root)/\(folder)/\($0)", encoding: .utf8) }
            .joined(separator: "\n")
        let include = Include(chapterFolder: folder, root: Self.root)
        var problems: [String] = []
        _ = try Directives.expand(text) { directive in
            switch directive.name {
            case "include":
                do { _ = try include.resolve(directive.arguments) } catch { problems.append("\(error)") }
            case "output":
                let name = directive.arguments
                // A cell named in one piece ("steps-per-epoch"), or built from a stem and a run's
                // name ("confusion" + "-" + "baseline"): then the stem must be a literal.
                let stem = name.split(separator: "-").first.map(String.init) ?? name
                if !sources.contains("\"\(name)\"") && !sources.contains("\"\(stem)\"")
                    && !sources.contains("\"\(stem)-\\(") {
                    problems.append("output \(name): no cell of that name in \(folder)/*.swift")
                }
            default:
                problems.append("unknown directive \(directive.written)")
            }
            return ""
        }
        for figure in Figures.imageTargets(in: text) {
            let script = "figures/\(Figures.scriptName(for: (figure as NSString).lastPathComponent))"
            if !FileManager.default.fileExists(atPath: "\(Self.root)/\(script)") {
                problems.append("figure \(figure): no script \(script)")
            }
        }
        #expect(problems.isEmpty, "\(folder)/chapter.md: \(problems.joined(separator: "; "))")
    }
}
