import Foundation
import MiniTorch

// Writing files so that a failure says why in the C library's words ("permission denied",
// "not a directory") and never leaves half a file behind.

/// Writes a whole file or nothing, with MiniTorch's `AtomicFile` (temporary file + rename), its
/// failures as one-line `LessonError`s. A Ctrl-C waits for the write to finish (see
/// `Interrupt`), so it never leaves a temporary file.
func writeAtomically(_ data: Data, to path: String) throws {
    try Interrupt.writes.withLock { _ in
        do {
            try AtomicFile.write(data, to: URL(fileURLWithPath: path))
        } catch let error as AtomicFileError {
            throw LessonError(error.description)   // "cannot write <path>: <reason>"
        } catch {
            throw LessonError("cannot write \(path): \(systemReason(error))")
        }
    }
}

/// Creates a folder and any missing parents, like `mkdir -p`.
///
/// Foundation's `createDirectory` loses the reason on some platforms, so this calls `mkdir` itself
/// and reports its `errno` in words.
func createFolders(_ path: String) throws {
    var prefix = path.hasPrefix("/") ? "/" : ""
    for component in path.split(separator: "/") {
        prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + component
        if mkdir(prefix, 0o755) == 0 { continue }
        let code = errno
        var isFolder: ObjCBool = false
        if code == EEXIST, FileManager.default.fileExists(atPath: prefix, isDirectory: &isFolder) {
            if isFolder.boolValue { continue }
            throw LessonError(systemReason(ENOTDIR) + " (\(prefix) is a file)")
        }
        throw LessonError(systemReason(code))
    }
}

/// The C library's words for an `errno`, in lower case: "permission denied".
func systemReason(_ code: Int32) -> String {
    String(cString: strerror(code)).lowercased()
}

/// The C library's words for a Foundation file error, when it carries an `errno`.
func systemReason(_ error: any Error) -> String {
    let error = error as NSError
    if error.domain == NSPOSIXErrorDomain { return systemReason(Int32(error.code)) }
    if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError,
        underlying.domain == NSPOSIXErrorDomain
    {
        return systemReason(Int32(underlying.code))
    }
    return Workbook.message(for: error)
}
