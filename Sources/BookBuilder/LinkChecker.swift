import Foundation

/// A `src=` or `href=` in the book that points nowhere.
public struct BrokenLink: Equatable, Sendable, CustomStringConvertible {
    /// The HTML file, as given to the checker.
    public let file: String
    public let attribute: String
    public let target: String
    public let reason: String

    public var description: String { "\(file): \(attribute)=\"\(target)\": \(reason)" }
}

/// Checks that every relative `src=` and `href=` in the book's HTML names a file that exists,
/// and that nothing is loaded from the network (the book must work offline). Links to other
/// sites (`href="https://..."`, further reading) are fine; only their loading via `src` is not.
public enum LinkChecker {
    /// Broken links in every `*.html` file directly inside `folder`.
    public static func check(folder: String) throws -> [BrokenLink] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            throw BookError("\(folder): no such folder (build the book first with `make book`)")
        }
        return try names.filter { $0.hasSuffix(".html") }.sorted().flatMap { name in
            let path = "\(folder)/\(name)"
            guard let html = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw BookError("\(path): cannot read")
            }
            return check(html: html, file: path)
        }
    }

    /// Broken links in one page; relative targets are looked up next to `file`.
    public static func check(html: String, file: String) -> [BrokenLink] {
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        return references(in: html).compactMap { attribute, target in
            func broken(_ reason: String) -> BrokenLink {
                BrokenLink(file: file, attribute: attribute, target: target, reason: reason)
            }
            if target.isEmpty || target.hasPrefix("#") { return nil }
            if target.hasPrefix("//") || hasScheme(target) {
                let remote = target.hasPrefix("//") || target.lowercased().hasPrefix("http")
                return attribute == "src" && remote ? broken("loads from the network") : nil
            }
            if target.hasPrefix("/") { return broken("absolute path (use a path relative to the page)") }
            let path = target.prefix { $0 != "#" && $0 != "?" }
            let decoded = String(path).removingPercentEncoding ?? String(path)
            let resolved = folder.appendingPathComponent(decoded).path
            return FileManager.default.fileExists(atPath: resolved) ? nil : broken("no file \(resolved)")
        }
    }

    /// Every `src="..."` and `href="..."` (either quote) in the page, entities decoded.
    static func references(in html: String) -> [(attribute: String, target: String)] {
        var found: [(String, String)] = []
        for attribute in ["src", "href"] {
            var rest = html[...]
            while let hit = rest.range(of: "\(attribute)=") {
                let before = rest[..<hit.lowerBound].last
                rest = rest[hit.upperBound...]
                guard before.map({ $0.isWhitespace }) ?? true, let quote = rest.first,
                      quote == "\"" || quote == "'" else { continue }
                let value = rest.dropFirst().prefix { $0 != quote }
                found.append((attribute, String(value).replacingOccurrences(of: "&amp;", with: "&")))
                rest = rest.dropFirst(value.count + 1)
            }
        }
        return found
    }

    /// `https:`, `mailto:`, `data:` ... : a scheme is letters before the first colon.
    static func hasScheme(_ target: String) -> Bool {
        guard let colon = target.firstIndex(of: ":") else { return false }
        let scheme = target[..<colon]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isLetter || $0.isNumber || "+-.".contains($0) }
            && scheme.first!.isLetter
    }
}
