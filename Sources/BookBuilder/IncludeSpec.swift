/// What `{{#include ...}}` asks for, parsed the way mdBook parses it.
///
/// - `File.swift` — the whole file
/// - `File.swift:train` — the lines between `// ANCHOR: train` and `// ANCHOR_END: train`
/// - `File.swift:10` — line 10; `File.swift:10:20` — lines 10 to 20; `File.swift:10:` — from
///   line 10 to the end; `File.swift::20` — lines 1 to 20 (lines count from 1, ends included)
struct IncludeSpec: Equatable {
    enum Part: Equatable {
        case wholeFile
        case anchor(String)
        case lines(first: Int, last: Int?)
    }

    let path: String
    let part: Part

    init(path: String, part: Part) {
        self.path = path
        self.part = part
    }

    init(parsing arguments: String) throws {
        let pieces = arguments.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        path = String(pieces[0]).trimmingWhitespace()
        guard !path.isEmpty else { throw BookError("include needs a file name") }
        guard pieces.count == 2 else {
            part = .wholeFile
            return
        }
        let selector = pieces[1]
        guard !selector.isEmpty else { throw BookError("include \(arguments): nothing after ':'") }
        guard let firstCharacter = selector.first, firstCharacter.isNumber || firstCharacter == ":" else {
            part = .anchor(String(selector))
            return
        }
        let notARange = BookError(
            "include \(arguments): '\(selector)' is neither an anchor name nor a line range like 10:20")
        let bounds = selector.split(separator: ":", omittingEmptySubsequences: false)
        guard bounds.count <= 2, let first = bounds[0].isEmpty ? 1 : Int(bounds[0]), first >= 1 else {
            throw notARange
        }
        if bounds.count == 1 {
            part = .lines(first: first, last: first)
        } else if bounds[1].isEmpty {
            part = .lines(first: first, last: nil)
        } else if let last = Int(bounds[1]), last >= first {
            part = .lines(first: first, last: last)
        } else {
            throw notARange
        }
    }
}
