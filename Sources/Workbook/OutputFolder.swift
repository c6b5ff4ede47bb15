import Foundation

/// The folder a run writes into (`--out`): metrics as CSV, text files, and named outputs ("cells")
/// that the book places with `{{#output name}}`.
///
/// Every file is written atomically, so a run that stops halfway never leaves half a file for the
/// book to include.
public struct OutputFolder: Sendable {
    /// The folder, as given (relative paths are relative to the current directory).
    public let path: String
    /// When true, `cell` writes its file but prints nothing.
    public let quiet: Bool

    /// Where named outputs go: `<out>/cells/<name>.txt`.
    public static let cellsFolder = "cells"

    /// Creates the folder (and its parents) if needed and checks that files can be written in it.
    ///
    /// Fails with one line naming the folder, the reason and what to do:
    /// `cannot write to --out /x: permission denied; choose another folder with --out`.
    public init(_ path: String, quiet: Bool = false) throws {
        self.path = path
        self.quiet = quiet
        let advice = "choose another folder with --out"
        do {
            try createFolders(path)
        } catch {
            throw LessonError("cannot write to --out \(path): \(Workbook.message(for: error)); \(advice)")
        }
        // An existing folder may still be read-only; find out now rather than after training.
        if access(path, W_OK) != 0 {
            throw LessonError("cannot write to --out \(path): \(systemReason(errno)); \(advice)")
        }
    }

    /// The full path of a file in this folder.
    public func file(_ name: String) -> String {
        (path as NSString).appendingPathComponent(name)
    }

    /// Writes bytes to `name` (which may include subfolders, created as needed), atomically.
    public func writeData(_ name: String, _ data: Data) throws {
        let target = file(name)
        let folder = (target as NSString).deletingLastPathComponent
        do {
            try createFolders(folder)
        } catch {
            throw LessonError("cannot write \(target): \(Workbook.message(for: error))")
        }
        try writeAtomically(data, to: target)
    }

    /// Writes text to `name`, atomically.
    public func writeText(_ name: String, _ text: String) throws {
        try writeData(name, Data(text.utf8))
    }

    /// Writes a CSV file with a header line and one line per row, quoting cells as CSV needs.
    public func writeCSV(_ name: String, header: [String], rows: [[String]]) throws {
        try writeCSV(name, CSVTable(header: header, rows: rows))
    }

    public func writeCSV(_ name: String, _ table: CSVTable) throws {
        try writeText(name, table.render())
    }

    /// A named output: prints `text` (unless quiet) and writes it to `<out>/cells/<name>.txt`,
    /// where the book's `{{#output name}}` finds it. What the chapter shows is what the run printed.
    ///
    /// Names are like anchors: letters, digits, `-` and `_` (`steps-per-epoch`).
    public func cell(_ name: String, _ text: String) throws {
        try Self.checkCellName(name)
        let line = text.hasSuffix("\n") ? text : text + "\n"
        try writeText("\(Self.cellsFolder)/\(name).txt", line)
        if !quiet { Terminal.write(line) }
    }

    /// A named output built by a closure: `try out.cell("summary") { table.render() }`.
    public func cell(_ name: String, _ body: () throws -> String) throws {
        try cell(name, try body())
    }

    static func checkCellName(_ name: String) throws {
        let allowed = name.allSatisfy { character in
            (character.isASCII && (character.isLetter || character.isNumber)) || "-_".contains(character)
        }
        if name.isEmpty || !allowed {
            throw LessonError(
                "cell name \"\(name)\" must use only letters, digits, - and _ (like steps-per-epoch)")
        }
    }
}
