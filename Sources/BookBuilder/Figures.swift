import Foundation

/// Checks the figures a chapter shows. A figure is an ordinary Markdown image,
/// `![Loss per epoch](figures/05-overfitting-curves.svg)`, naming a file that gnuplot rendered
/// into `book/build/figures`; the book copies each one it finds into `book/html/figures`.
struct Figures {
    /// Where gnuplot renders, relative to `root` (`book/build/figures`) or absolute.
    let renderedFolder: String
    let root: String

    /// The file names of the figures the Markdown shows (e.g. `05-overfitting-curves.svg`),
    /// each checked to exist. Images inside code fences are examples, not figures, and are skipped.
    func check(_ markdown: String) throws -> [String] {
        var names: [String] = []
        for target in Self.imageTargets(in: markdown) {
            if target.contains("://") || target.hasPrefix("//") {
                throw BookError("image \(target): the book works offline, so figures must be local files")
            }
            guard target.hasPrefix("figures/"), !target.contains("..") else {
                throw BookError("image \(target): figures are written as figures/<name>.svg (rendered into \(renderedFolder))")
            }
            let name = String(target.dropFirst("figures/".count))
            guard FileManager.default.fileExists(atPath: BookLayout.path("\(renderedFolder)/\(name)", under: root)) else {
                throw BookError("figure \(target): no file \(renderedFolder)/\(name) (is there a figures/\(Self.scriptName(for: name)) and did `make figures` run?)")
            }
            if !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// The gnuplot script that renders a figure file: `05-overfitting-curves.svg` comes from
    /// `05-overfitting-curves.gp`.
    static func scriptName(for figure: String) -> String {
        let stem = figure.split(separator: ".").dropLast().joined(separator: ".")
        return (stem.isEmpty ? figure : stem) + ".gp"
    }

    /// The targets of `![caption](target "title")` outside fenced code blocks.
    static func imageTargets(in markdown: String) -> [String] {
        var targets: [String] = []
        var inFence = false
        for line in markdown.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                inFence.toggle()
                continue
            }
            if inFence { continue }
            var rest = line[...]
            while let open = rest.range(of: "![") {
                guard let middle = rest[open.upperBound...].range(of: "](") else { break }
                let afterParen = rest[middle.upperBound...]
                guard let close = afterParen.firstIndex(of: ")") else { break }
                let inside = afterParen[..<close].trimmingWhitespace()
                let target = inside.prefix { !$0.isWhitespace }
                targets.append(String(target.hasPrefix("<") ? target.dropFirst().dropLast() : target))
                rest = afterParen[close...]
            }
        }
        return targets
    }
}
