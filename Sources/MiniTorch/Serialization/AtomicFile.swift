import Foundation

/// Writes a whole file or nothing: a failed or interrupted write never leaves half a file.
/// The one atomic writer of the package: checkpoints and safetensors here, and every file a
/// lesson writes (Workbook's `OutputFolder` calls it).
///
/// The bytes go to a temporary file next to the target (same folder, so the same file system),
/// which `rename(2)` then moves over the target. POSIX makes that rename atomic: a reader, or
/// the next run after a crash, sees the old file or the new one, never a mix. On any failure
/// the temporary file is removed and the old file is left as it was.
public enum AtomicFile {
    /// Writes `data` to `url`, creating the folder if needed.
    public static func write(_ data: Data, to url: URL) throws {
        try write(to: url) { handle in try handle.write(contentsOf: data) }
    }

    /// Writes `text` as UTF-8.
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    /// Streams a file: `produce` writes into a handle on the temporary file. If it throws, the
    /// target is untouched and the error is passed on.
    public static func write(to url: URL, _ produce: (FileHandle) throws -> Void) throws {
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw AtomicFileError("cannot write \(url.path): cannot create folder \(folder.path)")
        }
        // Hidden, and unique per process and call, so parallel writers never share a temporary.
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UUID().uuidString).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        if descriptor < 0 {   // the C library's words: "permission denied", "no space left on device"
            throw AtomicFileError("cannot write \(url.path): \(String(cString: strerror(errno)).lowercased())")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try produce(handle)
            try handle.synchronize()   // the bytes reach the disk before the name changes
            try handle.close()
        } catch {
            try? handle.close()
            unlink(temporary.path)
            throw error
        }
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw AtomicFileError("cannot write \(url.path): \(reason.lowercased())")
        }
    }
}

/// A write that failed, in one line: `cannot write out/metrics.csv: is a directory`.
public struct AtomicFileError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
