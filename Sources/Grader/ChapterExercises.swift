import Foundation

/// The list of exercises at the end of a chapter, generated from the manifest.
///
/// A chapter holds it between two HTML comments (pandoc passes them through, the book shows
/// just the list), under its `## Exercises` heading:
///
///     ## Exercises
///
///     <!-- BEGIN EXERCISES: generated from exercises/manifest.json by `make exercises-chapters` -->
///     - **ex03_2** · the cosine schedule with warmup (2 points). Hint: ...
///     <!-- END EXERCISES -->
///
/// `make exercises-chapters` writes or refreshes the block; `make validate-exercises` fails
/// when a chapter's block differs from the manifest. Prose around the block is the author's.
public enum ChapterExercises {
    static let begin = "<!-- BEGIN EXERCISES: generated from exercises/manifest.json by `make exercises-chapters` -->"
    static let end = "<!-- END EXERCISES -->"
    static let heading = "## Exercises"

    /// The block for the exercises whose chapter is `chapter`, in manifest order.
    public static func block(for chapter: String, manifest: Manifest) -> String {
        var lines = [begin]
        for e in manifest.exercises where e.chapter == chapter {
            lines.append("- **\(e.id)** · \(e.title) (\(e.points) point\(e.points == 1 ? "" : "s")). Hint: \(e.hint.replacingNewlines())")
        }
        lines.append(end)
        return lines.joined(separator: "\n")
    }

    /// The chapter's current block, or nil when it has none.
    static func currentBlock(in text: String) -> Range<String.Index>? {
        guard let start = text.range(of: "<!-- BEGIN EXERCISES"),
              let stop = text.range(of: end, range: start.upperBound..<text.endIndex) else { return nil }
        return start.lowerBound..<stop.upperBound
    }

    /// The chapter with its block brought up to date: replaced where it is, else placed under
    /// an existing `## Exercises` heading, else appended as a new section.
    public static func updated(_ text: String, chapter: String, manifest: Manifest) -> String {
        let block = block(for: chapter, manifest: manifest)
        if let range = currentBlock(in: text) {
            return text.replacingCharacters(in: range, with: block)
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let at = lines.firstIndex(where: { $0.trimmingWhitespace() == heading }) {
            lines.insert(contentsOf: ["", block], at: at + 1)
            return lines.joined(separator: "\n")
        }
        var out = text
        while out.hasSuffix("\n") { out.removeLast() }
        return out + "\n\n\(heading)\n\n\(block)\n"
    }

    /// What is wrong with the chapter's exercises section, or nil when it matches the manifest.
    public static func problem(in text: String, chapter: String, manifest: Manifest) -> String? {
        guard text.split(separator: "\n").contains(where: { $0.trimmingWhitespace() == heading }) else {
            return "\(chapter): has no '\(heading)' section (run make exercises-chapters)"
        }
        guard let range = currentBlock(in: text) else {
            return "\(chapter): the '\(heading)' section has no generated list (run make exercises-chapters)"
        }
        if String(text[range]) != block(for: chapter, manifest: manifest) {
            return "\(chapter): the exercises list differs from \(Manifest.path) (run make exercises-chapters)"
        }
        return nil
    }
}
