import Dispatch
import Foundation
import Synchronization

/// Runs `body`, a write that must not stop half-way (a checkpoint folder moved into place and
/// the oldest one deleted), with Ctrl-C held back until it is done, as every file the kit writes is.
public func holdingInterrupts(_ body: () throws -> Void) throws {
    try Interrupt.writes.withLock { _ in try body() }
}

/// What Ctrl-C does to a running lesson: it stops at once, says so in one line, and leaves the
/// output folder holding whole files only.
///
///     interrupted: lesson-05-overfitting stopped; /tmp/run holds the files written so far (complete ones only)
///
/// Every file the kit writes goes to a temporary file first and is then renamed (see
/// `writeAtomically`), so a file that is there is complete. The interrupt waits for a write in
/// progress to finish, removes the temporary files the run left behind, and exits with status
/// 130, as a shell reports a program stopped by Ctrl-C (128 + SIGINT).
enum Interrupt {
    static let status: Int32 = 130

    /// Held while a file is written and renamed, and by the interrupt until the process is gone:
    /// a rename is never cut off halfway and no write starts after the clean-up.
    static let writes = Mutex(())

    /// Handles SIGINT from now on, for the lesson `command` writing into `folder`.
    /// Keep the returned source alive while the lesson runs.
    static func watch(command: String, folder: String) -> any DispatchSourceSignal {
        // The default action would end the process at once; ignoring the signal hands it to the
        // dispatch source, whose handler runs on its own thread while training goes on.
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(
            signal: SIGINT, queue: DispatchQueue(label: "workbook.interrupt"))
        source.setEventHandler { stop(command: command, folder: folder) }
        source.resume()
        return source
    }

    /// Cleans up, prints the one line and exits, without returning.
    static func stop(command: String, folder: String) -> Never {
        writes.withLock { _ -> Never in
            let exists = FileManager.default.fileExists(atPath: folder)
            if exists { removeTemporaryFiles(in: folder) }
            Terminal.writeError(
                exists
                    ? "interrupted: \(command) stopped; \(folder) holds the files written so far (complete ones only)"
                    : "interrupted: \(command) stopped before writing anything")
            // _exit, not exit: the training thread is still running, and exit's clean-up of
            // global state under its feet could crash on the way out.
            _exit(status)
        }
    }

    /// Removes `.<name>.<pid>.<unique>.tmp` files (the temporaries of `writeAtomically` and
    /// MiniTorch's `AtomicFile`) and folders (a checkpoint being written, or an old one being
    /// deleted: MiniTorch's `CheckpointFolder`) under `folder` that belong to this process or to
    /// one that is gone (killed mid-write). Another live run's temporaries are left alone.
    static func removeTemporaryFiles(in folder: String) {
        guard let names = try? FileManager.default.subpathsOfDirectory(atPath: folder) else { return }
        for relative in names {
            let name = (relative as NSString).lastPathComponent
            guard let pid = temporaryFileOwner(name) else { continue }
            if pid == getpid() || (kill(pid, 0) != 0 && errno == ESRCH) {
                let path = (folder as NSString).appendingPathComponent(relative)
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
                    try? FileManager.default.removeItem(atPath: path)
                } else {
                    unlink(path)
                }
            }
        }
    }

    /// The process id in a temporary file's name `.<name>.<pid>.<unique>.tmp`, or nil when the
    /// name is not one of those.
    static func temporaryFileOwner(_ name: String) -> pid_t? {
        guard name.hasPrefix("."), name.hasSuffix(".tmp") else { return nil }
        let parts = name.dropFirst().split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 4, let pid = pid_t(parts[parts.count - 3]), pid > 0 else { return nil }
        return pid
    }
}
