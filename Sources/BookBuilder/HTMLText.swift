/// Reads pandoc's HTML back as text: its code blocks and its paragraphs, tags removed and
/// character references decoded, so a check can compare them with the sources.
enum HTMLText {
    struct CodeBlockElement: Equatable {
        /// The classes of the `<pre>` (`sourceCode swift` when pandoc highlighted it).
        let classes: [String]
        /// The `data-include` attribute of the block (on its `<pre>` or the `<div>` around it).
        let include: String?
        let text: String
    }

    /// Every `<pre>` block, in page order.
    static func codeBlocks(in html: String) -> [CodeBlockElement] {
        elements("pre", in: html).map { tag, inner, start in
            var include = attribute("data-include", in: tag)
            if include == nil, let wrapper = tagJustBefore(start, in: html), wrapper.hasPrefix("<div") {
                include = attribute("data-include", in: wrapper)
            }
            let classes = (attribute("class", in: tag) ?? "").split(separator: " ").map(String.init)
            return CodeBlockElement(classes: classes, include: include, text: text(of: inner))
        }
    }

    /// The text of every `<p>`, with runs of white space (pandoc wraps lines) made one space.
    static func paragraphs(in html: String) -> [String] {
        elements("p", in: html).map { _, inner, _ in collapsed(text(of: inner)) }
    }

    /// `<name ...>inner</name>` elements (not nested in each other): the opening tag, the inner
    /// HTML and where the element starts.
    static func elements(_ name: String, in html: String) -> [(tag: Substring, inner: Substring, start: String.Index)] {
        var found: [(Substring, Substring, String.Index)] = []
        var rest = html[...]
        while let open = rest.range(of: "<\(name)") {
            let after = rest[open.upperBound...]
            guard let next = after.first, next == ">" || next.isWhitespace,
                  let tagEnd = after.firstIndex(of: ">") else {
                rest = after
                continue
            }
            let tag = rest[open.lowerBound...tagEnd]
            let body = rest[rest.index(after: tagEnd)...]
            guard let close = body.range(of: "</\(name)>") else { break }
            found.append((tag, body[..<close.lowerBound], open.lowerBound))
            rest = body[close.upperBound...]
        }
        return found
    }

    /// The opening tag that ends right before `index`, white space between them allowed.
    static func tagJustBefore(_ index: String.Index, in html: String) -> Substring? {
        let before = html[..<index]
        guard let end = before.lastIndex(where: { !$0.isWhitespace }), before[end] == ">",
              let start = before[..<end].lastIndex(of: "<") else { return nil }
        return before[start...end]
    }

    /// The value of `name="..."` in an opening tag, character references decoded.
    static func attribute(_ name: String, in tag: Substring) -> String? {
        var rest = tag
        while let hit = rest.range(of: "\(name)=\"") {
            let before = rest[..<hit.lowerBound].last
            rest = rest[hit.upperBound...]
            guard before?.isWhitespace == true else { continue }
            return decoded(rest.prefix { $0 != "\"" })
        }
        return nil
    }

    /// The text of an HTML fragment: tags dropped, character references decoded.
    static func text(of fragment: Substring) -> String {
        var text = ""
        var inTag = false
        for character in fragment {
            if inTag {
                if character == ">" { inTag = false }
            } else if character == "<" {
                inTag = true
            } else {
                text.append(character)
            }
        }
        return decoded(text[...])
    }

    static func decoded(_ text: Substring) -> String {
        let named = ["lt": "<", "gt": ">", "amp": "&", "quot": "\"", "apos": "'", "nbsp": "\u{a0}"]
        var result = ""
        var rest = text
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            let after = rest[rest.index(after: ampersand)...]
            if let semicolon = after.prefix(10).firstIndex(of: ";") {
                let name = after[..<semicolon]
                var replacement = named[String(name)]
                if replacement == nil, name.hasPrefix("#") {
                    let number = name.dropFirst()
                    let value = number.hasPrefix("x") || number.hasPrefix("X")
                        ? UInt32(number.dropFirst(), radix: 16) : UInt32(number)
                    replacement = value.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                }
                if let replacement {
                    result += replacement
                    rest = after[after.index(after: semicolon)...]
                    continue
                }
            }
            result += "&"
            rest = after
        }
        return result + rest
    }

    static func collapsed(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
