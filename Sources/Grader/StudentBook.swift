import Foundation

/// The book a student gets (`make student`): the teacher's book built again from the student
/// edition's sources, so every code excerpt shows an exercise as its stub, with the outputs and
/// figures of the teacher's default runs (the student's lessons cannot run before the exercises
/// are solved). It lands in the edition's `book/html/`.
public struct StudentBook {
    public let teacherRoot: String
    public let edition: String
    /// The `book` tool (the teacher's build of it).
    public let bookTool: String

    public init(teacherRoot: String, edition: String, bookTool: String) {
        self.teacherRoot = teacherRoot
        self.edition = edition
        self.bookTool = bookTool
    }

    /// The teacher's lesson runs and figures; the book's intermediate pages (which hold the
    /// teacher's code) and screenshots are not inputs.
    static func isRunOutput(_ item: String) -> Bool { item != "pages" && item != "screenshots" && !item.hasPrefix(".") }

    public func write() throws {
        let fm = FileManager.default
        let runs = "\(teacherRoot)/book/build"
        guard fm.fileExists(atPath: "\(runs)/figures") || ((try? fm.contentsOfDirectory(atPath: runs)) ?? []).contains(where: { $0.first?.isNumber == true }) else {
            throw GraderError("no lesson runs in book/build: run make book first, then make student")
        }
        let build = "\(edition)/book/build"
        try? fm.removeItem(atPath: build)
        try fm.createDirectory(atPath: build, withIntermediateDirectories: true)
        for item in try fm.contentsOfDirectory(atPath: runs) where Self.isRunOutput(item) {
            try fm.copyItem(atPath: "\(runs)/\(item)", toPath: "\(build)/\(item)")
        }
        defer { try? fm.removeItem(atPath: build) }
        for command in ["build", "check"] {
            let result = try runProcess([bookTool, command, "--root", edition], in: edition)
            guard result.status == 0 else {
                throw GraderError("the student book: book \(command) failed:\n\(result.output.trimmingWhitespace())")
            }
        }
    }

    /// The text a reader sees in an HTML page: tags removed, entities decoded, line by line.
    public static func text(ofHTML html: String) -> String {
        var out = "", tag = false
        for c in html {
            if tag { if c == ">" { tag = false } } else if c == "<" { tag = true } else { out.append(c) }
        }
        return decodeEntities(out)
    }

    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        let named = ["lt": "<", "gt": ">", "amp": "&", "quot": "\"", "apos": "'", "nbsp": " "]
        var out = "", i = text.startIndex
        while i < text.endIndex {
            if text[i] == "&", let semi = text[i...].prefix(12).firstIndex(of: ";") {
                let name = String(text[text.index(after: i)..<semi])
                var decoded: String?
                if let value = named[name] { decoded = value }
                else if name.hasPrefix("#x"), let n = UInt32(name.dropFirst(2), radix: 16) { decoded = Unicode.Scalar(n).map { String($0) } }
                else if name.hasPrefix("#"), let n = UInt32(name.dropFirst()) { decoded = Unicode.Scalar(n).map { String($0) } }
                if let decoded { out += decoded; i = text.index(after: semi); continue }
            }
            out.append(text[i])
            i = text.index(after: i)
        }
        return out
    }
}
