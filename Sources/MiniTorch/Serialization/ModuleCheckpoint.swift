import Foundation

/// A model's weights as one safetensors file, as Hugging Face's `save_pretrained` writes
/// `model.safetensors`.
///
/// Tied tensors are stored once, under their first name (`namedParameters()`), as Hugging Face
/// drops `lm_head.decoder.weight` when it is the word-embedding matrix; loading fills the one
/// tensor and so both uses. A file made elsewhere that also lists a tied alias loads too.
extension Module {
    /// Writes every parameter to `url` (atomically) with optional string metadata.
    public func save(to url: URL, metadata: [String: String] = [:]) throws {
        try Safetensors.save(namedParameters(), to: url, metadata: metadata)
    }

    /// Copies the weights in `url` into this model's parameters and returns the file's metadata.
    /// Every parameter must be in the file with its shape, and the file may hold nothing else.
    @discardableResult
    public func load(from url: URL) throws -> [String: String] {
        let (tensors, metadata) = try Safetensors.load(from: url)
        try load(tensors, file: url.relativePath)
        return metadata
    }

    /// Copies `tensors` (read from `file`, named in errors) into this model's parameters, with
    /// the same checks as `load(from:)`.
    public func load(_ tensors: [String: Tensor], file: String) throws {
        let required = namedParameters()
        var known: [String: Tensor] = [:]
        for (name, p) in stateDict() { known[name] = p }
        let missing = required.map(\.0).filter { tensors[$0] == nil }
        let unexpected = tensors.keys.sorted().filter { known[$0] == nil }
        if !missing.isEmpty || !unexpected.isEmpty {
            var parts: [String] = []
            if !missing.isEmpty { parts.append("missing \(listed(missing))") }
            if !unexpected.isEmpty { parts.append("unexpected \(listed(unexpected))") }
            throw SafetensorsError("\(file): does not match \(type(of: self)): \(parts.joined(separator: "; ")) (was it saved from a different model or config?)")
        }
        for (name, t) in tensors.sorted(by: { $0.key < $1.key }) where known[name]!.shape != t.shape {
            throw SafetensorsError("\(file): \(name) has shape \(show(t.shape)) in the file, \(show(known[name]!.shape)) in the model (was it saved with a different config?)")
        }
        noGrad {
            for (name, t) in tensors { known[name]!.copyFrom(t) }
        }
    }

    private func listed(_ names: [String]) -> String {
        names.count <= 4 ? names.joined(separator: ", ") : names.prefix(4).joined(separator: ", ") + " and \(names.count - 4) more"
    }
}
