/// Swapping a child module by name: how LoRA puts an adapter where a `Linear` was.
///
/// PEFT injects adapters with `setattr(parent, "query", lora.Linear(base_layer=old))`; PyTorch
/// offers the same as `model.set_submodule("encoder.layer.0.attention.self.query", new)`.
/// Swift has no `setattr`: `Module` can *find* children by reflection, but only the class that
/// declares a stored property can assign it. A module whose children may be swapped says so by
/// conforming here, one line per replaceable child.
public protocol ReplaceableChildren: Module {
    /// Puts `module` in place of the direct child `name`; false if `name` is not replaceable or
    /// `module` is not of a type that child's slot accepts.
    func replaceChild(_ name: String, with module: Module) -> Bool
}

extension Module {
    /// Replaces the descendant at the dotted `path`, as PyTorch's `set_submodule`.
    /// Stops with a message if the path names no module or its parent cannot swap that child.
    public func setSubmodule(_ path: String, _ module: Module) {
        let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let parentPath = parts.dropLast().joined(separator: ".")
        let modules = Dictionary(namedModules(), uniquingKeysWith: { first, _ in first })
        guard let parent = modules[parentPath], let name = parts.last,
              parent.namedChildren().contains(where: { $0.0 == name }) else {
            fail("setSubmodule: \(type(of: self)) has no module at \"\(path)\"")
        }
        guard let replaceable = parent as? any ReplaceableChildren, replaceable.replaceChild(name, with: module) else {
            fail("setSubmodule: cannot put a \(type(of: module)) at \"\(path)\": \(type(of: parent)) does not declare \"\(name)\" as a replaceable child (conform it to ReplaceableChildren with a `var` of a type that accepts it)")
        }
    }
}

/// A `Sequential`'s layers are replaceable by position ("0", "2").
extension Sequential: ReplaceableChildren {
    public func replaceChild(_ name: String, with module: Module) -> Bool {
        guard let i = Int(name), _modules.indices.contains(i) else { return false }
        _modules[i] = module
        return true
    }
}

/// The linear layers of the RoBERTa encoder, the usual LoRA targets
/// (PEFT's default for RoBERTa is `["query", "value"]`).
extension RobertaSelfAttention: ReplaceableChildren {
    public func replaceChild(_ name: String, with module: Module) -> Bool {
        guard let layer = module as? any LinearLayer else { return false }
        switch name {
        case "query": query = layer
        case "key": key = layer
        case "value": value = layer
        default: return false
        }
        return true
    }
}

extension RobertaSelfOutput: ReplaceableChildren {
    public func replaceChild(_ name: String, with module: Module) -> Bool {
        guard name == "dense", let layer = module as? any LinearLayer else { return false }
        dense = layer
        return true
    }
}

extension RobertaIntermediate: ReplaceableChildren {
    public func replaceChild(_ name: String, with module: Module) -> Bool {
        guard name == "dense", let layer = module as? any LinearLayer else { return false }
        dense = layer
        return true
    }
}

extension RobertaOutput: ReplaceableChildren {
    public func replaceChild(_ name: String, with module: Module) -> Bool {
        guard name == "dense", let layer = module as? any LinearLayer else { return false }
        dense = layer
        return true
    }
}
