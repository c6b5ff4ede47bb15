import Foundation

/// Writes and copies that never leave half a file behind.
///
/// The bytes go to a temporary file in the destination's own directory (so the rename stays on
/// one file system), then `rename` swaps it in, which readers see as all-or-nothing.
enum AtomicFile {
    static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw BookError("cannot create directory \(directory.path)")
        }
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        guard FileManager.default.createFile(atPath: temporary.path, contents: data) else {
            throw BookError("cannot write \(temporary.path)")
        }
        try moveIntoPlace(temporary.path, path)
    }

    static func copy(_ source: String, to path: String) throws {
        guard let data = FileManager.default.contents(atPath: source) else {
            throw BookError("cannot read \(source)")
        }
        try write(data, to: path)
    }

    /// Renames `temporary` onto `path`, replacing what was there.
    static func moveIntoPlace(_ temporary: String, _ path: String) throws {
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw BookError("cannot write \(path): \(reason)")
        }
    }
}
