/// The Markdown of the book's front page: the prose of `book/index.md`, then the table of
/// contents with one entry per chapter (its title, linked, and its one-line summary).
enum IndexPage {
    static func markdown(intro: String, lessons: [Chapter], extras: [Chapter]) -> String {
        var text = intro.trimmingWhitespace() + "\n\n"
        text += "::: {.toc}\n"
        text += lessons.isEmpty ? "*No lesson has been written yet.*\n\n" : entries(lessons)
        if !extras.isEmpty {
            text += "\n## More\n\n" + entries(extras)
        }
        return text + ":::\n"
    }

    /// A loose ordered list: each item is the linked title, then the summary as its own line.
    static func entries(_ chapters: [Chapter]) -> String {
        var text = ""
        for (number, chapter) in chapters.enumerated() {
            text += "\(number + 1). [\(chapter.info.title)](\(chapter.page.name).html)\n\n"
            if !chapter.info.summary.isEmpty {
                text += "    \(chapter.info.summary)\n\n"
            }
        }
        return text
    }
}
