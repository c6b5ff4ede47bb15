import Foundation

/// Writes a whole folder or nothing, as `AtomicFile` writes a file: everything goes into a hidden
/// temporary folder beside the target, which `rename(2)` moves into place once all of it is
/// there. A failure part-way leaves the old folder (or none) as it was, never a `model/` with a
/// config but no weights. Checkpoints and `save_pretrained` folders are written this way.
public enum AtomicFolder {
    /// Writes `target` with `files`, which fills the temporary folder it is given. An existing
    /// `target` is replaced. Throws `AtomicFileError` with one line naming the folder as
    /// `kind` calls it ("cannot write checkpoint out/checkpoint-40: ...").
    @discardableResult
    public static func write(_ target: URL, kind: String = "", _ files: (URL) throws -> Void) throws -> URL {
        let parent = target.deletingLastPathComponent()
        let temporary = hiddenSibling(of: target)
        let named = kind.isEmpty ? target.path : "\(kind) \(target.path)"
        func failure(_ reason: String) -> AtomicFileError { AtomicFileError("cannot write \(named): \(reason)") }
        do {
            try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        } catch {
            throw failure("cannot create a folder in \(parent.path)")
        }
        do {
            try files(temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw failure("\(error)")
        }
        // rename(2) cannot replace a non-empty folder, so an older one steps aside first and is
        // deleted once the new one is in.
        var replaced: URL? = nil
        if FileManager.default.fileExists(atPath: target.path) {
            let aside = hiddenSibling(of: target)
            if rename(target.path, aside.path) != 0 {
                try? FileManager.default.removeItem(at: temporary)
                throw failure(String(cString: strerror(errno)).lowercased())
            }
            replaced = aside
        }
        if rename(temporary.path, target.path) != 0 {
            let reason = String(cString: strerror(errno)).lowercased()
            try? FileManager.default.removeItem(at: temporary)
            if let replaced { _ = rename(replaced.path, target.path) }
            throw failure(reason)
        }
        if let replaced { try? FileManager.default.removeItem(at: replaced) }
        return target
    }

    /// `.model.<pid>.<unique>.tmp`, hidden and unique, in the same folder: the name pattern of
    /// `AtomicFile`'s temporaries, which a clean-up after Ctrl-C recognises.
    static func hiddenSibling(of url: URL) -> URL {
        url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UUID().uuidString).tmp")
    }
}
