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
    @Option(help: "The repository root (holding Lessons/ and book/).")
    var root: String = "."

    var layout: BookLayout {
        BookLayout(root: URL(fileURLWithPath: root).standardizedFileURL.path)
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
            abstract: "Check that every relative src= and href= in book/html points to a file that exists.")
        @OptionGroup var options: Options

        func run() throws {
            try reportingErrors {
                let folder = options.layout.root + "/" + options.layout.htmlFolder
                let broken = try LinkChecker.check(folder: folder)
                for link in broken {
                    FileHandle.standardError.write(Data("error: \(link)\n".utf8))
                }
                if !broken.isEmpty { throw ExitCode.failure }
                print("book: every link and image in \(options.layout.htmlFolder)/ points to a file that exists")
            }
        }
    }
}
BookCommand.main()
