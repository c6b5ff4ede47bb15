import Foundation
import Synchronization

/// Where the kit's text goes: standard output for what a learner reads, standard error for errors.
///
/// Everything here goes through C's buffered `stdout` (the same stream `print` uses) and is flushed
/// at once, so a progress bar, a table and an error come out in the order the lesson produced them.
enum Terminal {
    /// True when standard output is a terminal a person is watching, false when it is piped to a
    /// file or another program (`swift run lesson-01 | tee run.log`).
    static var isInteractive: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Whether the last text written did not end in a newline, as a progress bar's line does while
    /// it is being redrawn. An error printed now must first end that line, or it would land in the
    /// middle of the bar.
    private static let lineOpen = Mutex(false)

    static func write(_ text: String) {
        print(text, terminator: "")
        fflush(nil)   // nil flushes every C stream, standard output included
        if let last = text.last { lineOpen.withLock { $0 = !last.isNewline } }
    }

    /// Ends a line left open by `write`, if there is one.
    static func endOpenLine() {
        let wasOpen = lineOpen.withLock { open in
            defer { open = false }
            return open
        }
        if wasOpen { write("\n") }
    }

    /// Writes one or more lines to standard error, after ending any open progress line.
    static func writeError(_ text: String) {
        endOpenLine()
        fflush(nil)
        let line = text.hasSuffix("\n") ? text : text + "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
