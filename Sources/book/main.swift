// The `book` tool: turns chapters, lesson outputs and figures into book/html, and checks it.
// Its logic lives in BookBuilder (tested); this file only parses the command line and reports.
import ArgumentParser
import BookBuilder
import Foundation

struct BookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "book",
        abstract: "Build the MiniTorch workbook's HTML book and check its links.",
        subcommands: [Build.self, Check.self],
        defaultSubcommand: Build.self
    )
}

struct Options: ParsableArguments {
    @Option(help: "The tree the chapters, their includes and book/ are read from (a repository, or a student edition).")
    var root: String = "."

    @Option(help: "The lesson runs and rendered figures (default: book/build under --root).")
    var buildFolder: String?

    @Option(help: "Where the HTML goes, or is checked (default: book/html under --root).")
    var htmlFolder: String?

    /// Relative paths are relative to the current directory, as usual on a command line.
    var layout: BookLayout {
        func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }
        return BookLayout(root: absolute(root), buildFolder: buildFolder.map(absolute) ?? "book/build",
                          htmlFolder: htmlFolder.map(absolute) ?? "book/html")
    }
}

/// Prints a BookError as the one line (per problem) it is, and exits 1; no stack trace.
func reportingErrors(_ work: () throws -> Void) throws {
    do {
        try work()
    } catch let error as BookError {
        for line in error.description.split(separator: "\n") {
            FileHandle.standardError.write(Data("error: \(line)\n".utf8))
        }
        throw ExitCode.failure
    }
}

extension BookCommand {
    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resolve every chapter's includes, outputs and figures and render book/html with pandoc.")
        @OptionGroup var options: Options

        func run() throws {
            try reportingErrors {
                let written = try Book(layout: options.layout).build()
                print("book: wrote \(written.count) page\(written.count == 1 ? "" : "s") to \(options.layout.htmlFolder)/ (open \(options.layout.htmlFolder)/index.html)")
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check book/html: every relative src= and href= points to a file that exists, and every include is on its page as one highlighted code block holding the source region (never as prose).")
        @OptionGroup var options: Options

        func run() throws {
            try reportingErrors {
                let layout = options.layout
                let broken = try LinkChecker.check(folder: layout.absolute(layout.htmlFolder))
                let misrendered = try IncludeCheck.check(layout)
                for problem in broken.map(\.description) + misrendered {
                    FileHandle.standardError.write(Data("error: \(problem)\n".utf8))
                }
                if !broken.isEmpty || !misrendered.isEmpty { throw ExitCode.failure }
                print("book: every link and image in \(layout.htmlFolder)/ points to a file that exists")
                print("book: every include is on its page as one highlighted code block equal to its source region")
            }
        }
    }
}
BookCommand.main()
