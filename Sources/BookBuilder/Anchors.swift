/// mdBook's anchors: `// ANCHOR: name` opens a region of a source file and
/// `// ANCHOR_END: name` closes it. Regions may nest and overlap; the marker lines themselves
/// are never shown in the book.
enum Anchors {
    /// The lines of the first region called `name`, without any marker lines inside it,
    /// or nil when the file has no `ANCHOR: name`. An unclosed region runs to the end of the
    /// file, as in mdBook.
    static func lines(of name: String, in lines: [Substring]) -> [Substring]? {
        var inside = false
        var kept: [Substring] = []
        for line in lines {
            if inside {
                if let end = marker("ANCHOR_END:", in: line) {
                    if end == name { return kept }
                } else if marker("ANCHOR:", in: line) == nil {
                    kept.append(line)
                }
            } else if marker("ANCHOR:", in: line).map(String.init) == name {
                inside = true
            }
        }
        return inside ? kept : nil
    }

    /// The lines without any `ANCHOR:` or `ANCHOR_END:` marker lines.
    static func withoutMarkers(_ lines: [Substring]) -> [Substring] {
        lines.filter { marker("ANCHOR:", in: $0) == nil && marker("ANCHOR_END:", in: $0) == nil }
    }

    /// The anchor name after `keyword` on this line (`// ANCHOR: train` gives "train"), if any.
    /// Names are letters, digits, `_` and `-`, as in mdBook.
    static func marker(_ keyword: String, in line: Substring) -> Substring? {
        guard let found = line.range(of: keyword) else { return nil }
        let name = line[found.upperBound...]
            .drop { $0 == " " || $0 == "\t" }
            .prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
        return name.isEmpty ? nil : name
    }
}
