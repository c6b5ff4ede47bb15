/// The base class of every layer and model, as `torch.nn.Module`.
///
/// PyTorch finds a module's parameters and children through attribute assignment
/// (`self.query = nn.Linear(...)`). Swift has no `__setattr__`, so `Module` finds them by
/// reflection (`Mirror`) over stored properties, in declaration order:
/// - a stored `Tensor` (or `Tensor?`, `[Tensor]`) is a parameter;
/// - a stored `Module` (or `Module?`) is a child; `[Module]` children are named "0", "1", ...
///   (`nn.ModuleList`), `[String: Module]` children by their key, sorted (`nn.ModuleDict`);
///   a `[Module]` whose name starts with "_" gives its children bare indices ("0.weight"), as
///   `nn.Sequential` names them.
/// - a child declared `@Replaceable` is a child under its own name, which `setSubmodule` and
///   `update(modules:)` can swap (a `Linear` for a `LoRALinear`, as PEFT does with `setattr`).
/// Anything else (sizes, flags, a `Generator`) is ignored. Discovery happens on every call, so
/// a swapped child is found at once.
///
/// Names are dotted paths, as in PyTorch: `encoder.layers.0.attention.query.weight`.
open class Module {
    /// Training or evaluation mode, as `module.training` (dropout reads it).
    public var training = true

    public init() {}

    /// The forward pass for modules that take one tensor. Modules with other inputs (an
    /// `Embedding` takes token ids) define their own `callAsFunction` instead.
    open func callAsFunction(_ x: Tensor) -> Tensor {
        fail("\(type(of: self)): this module does not take a single tensor; call it with its own arguments")
    }

    // MARK: Discovery

    /// The stored properties of this object and its superclasses, base class first.
    private func storedProperties() -> [(String, Any)] {
        var mirrors: [Mirror] = []
        var mirror: Mirror? = Mirror(reflecting: self)
        while let m = mirror { mirrors.append(m); mirror = m.superclassMirror }
        return mirrors.reversed().flatMap { m in m.children.compactMap { c in c.label.map { ($0, c.value) } } }
    }

    /// Direct parameters and children, in declaration order (`named_parameters(recurse=False)`
    /// and `named_children()` interleaved as declared).
    private func members() -> (parameters: [(String, Tensor)], children: [(String, Module)]) {
        var parameters: [(String, Tensor)] = [], children: [(String, Module)] = []
        for (label, value) in storedProperties() {
            if let slot = value as? any ReplaceableSlot {   // `@Replaceable var query` is stored as `_query`
                children.append((String(label.dropFirst()), slot.child))
            } else if let t = value as? Tensor {
                parameters.append((label, t))
            } else if let m = value as? Module {
                children.append((label, m))
            } else if let list = value as? [Module] {
                let prefix = label.hasPrefix("_") ? "" : "\(label)."
                for (i, m) in list.enumerated() { children.append(("\(prefix)\(i)", m)) }
            } else if let dict = value as? [String: Module] {
                for key in dict.keys.sorted() { children.append(("\(label).\(key)", dict[key]!)) }
            } else if let list = value as? [Tensor] {
                for (i, t) in list.enumerated() { parameters.append(("\(label).\(i)", t)) }
            }
        }
        return (parameters, children)
    }

    /// The direct children with their names, as `named_children()`.
    public func namedChildren() -> [(String, Module)] { members().children }

    /// This module ("" ) and every descendant with its dotted path, as `named_modules()`.
    /// A module reachable twice is listed once, under its first path.
    public func namedModules() -> [(String, Module)] {
        var seen = Set<ObjectIdentifier>()
        var result: [(String, Module)] = []
        func visit(_ module: Module, _ path: String) {
            guard seen.insert(ObjectIdentifier(module)).inserted else { return }
            result.append((path, module))
            for (name, child) in module.namedChildren() { visit(child, path.isEmpty ? name : "\(path).\(name)") }
        }
        visit(self, "")
        return result
    }

    /// Every parameter with its dotted path, in declaration order, as `named_parameters()`.
    /// A shared (tied) tensor appears once, under its first name, as PyTorch's default
    /// `remove_duplicate=True`, so an optimizer never updates it twice.
    public func namedParameters() -> [(String, Tensor)] {
        var seen = Set<ObjectIdentifier>()
        return allNamedParameters().filter { seen.insert(ObjectIdentifier($0.1)).inserted }
    }

    /// Every (path, parameter) pair, tied tensors under each of their names.
    private func allNamedParameters() -> [(String, Tensor)] {
        var result: [(String, Tensor)] = []
        var seen = Set<ObjectIdentifier>()
        func visit(_ module: Module, _ prefix: String) {
            guard seen.insert(ObjectIdentifier(module)).inserted else { return }
            let (parameters, children) = module.members()
            for (name, t) in parameters { result.append((prefix + name, t)) }
            for (name, child) in children { visit(child, prefix + name + ".") }
        }
        visit(self, "")
        return result
    }

    /// The parameters, as `model.parameters()` (what an optimizer is given).
    public func parameters() -> [Tensor] { namedParameters().map(\.1) }

    /// Number of parameter elements; `trainableOnly` counts those with `requiresGrad`
    /// (the "trainable params: 0.6%" line of a LoRA run).
    public func parameterCount(trainableOnly: Bool = false) -> Int {
        parameters().filter { !trainableOnly || $0.requiresGrad }.reduce(0) { $0 + $1.count }
    }

    // MARK: Swapping children

    /// Puts `module` in place of the direct child `name`, as Python's `setattr(parent, name,
    /// module)`. Works for a child declared `@Replaceable` when `module` fits its type; returns
    /// false otherwise. (`Sequential` also replaces its layers by position.)
    open func replaceChild(_ name: String, with module: Module) -> Bool {
        let slot = storedProperties().first { $0.0 == "_" + name }?.1 as? any ReplaceableSlot
        return slot?.replace(with: module) ?? false
    }

    /// Replaces the descendant at the dotted `path`, as PyTorch's `set_submodule`. Stops with a
    /// message if the path names no module or its parent cannot swap that child.
    public func setSubmodule(_ path: String, _ module: Module) {
        let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let parentPath = parts.dropLast().joined(separator: ".")
        guard let parent = namedModules().first(where: { $0.0 == parentPath })?.1, let name = parts.last,
              parent.namedChildren().contains(where: { $0.0 == name }) else {
            fail("setSubmodule: \(type(of: self)) has no module at \"\(path)\"")
        }
        if !parent.replaceChild(name, with: module) {
            fail("setSubmodule: cannot put a \(type(of: module)) at \"\(path)\": \(type(of: parent)) does not declare \"\(name)\" @Replaceable with a type that accepts it")
        }
    }

    /// Replaces several descendants, each at its dotted path, as mlx-swift's `update(modules:)`:
    /// how LoRA puts its adapters in (`getPeftModel`) and takes them out (`mergeAndUnload`).
    public func update(modules: [(String, Module)]) {
        for (path, module) in modules { setSubmodule(path, module) }
    }

    // MARK: Modes and gradients

    /// Sets training mode on this module and every descendant, as `model.train(mode)`.
    @discardableResult
    public func train(_ mode: Bool = true) -> Self {
        for (_, m) in namedModules() { m.training = mode }
        return self
    }

    /// Evaluation mode (dropout off), as `model.eval()`.
    @discardableResult
    public func eval() -> Self { train(false) }

    /// Stops gradients for every parameter (`requires_grad_(False)`): the frozen base of LoRA.
    public func freeze() { for p in parameters() { p.requiresGrad = false } }

    /// Lets gradients flow into every parameter again.
    public func unfreeze() { for p in parameters() { p.requiresGrad = true } }

    /// Forgets every parameter's gradient, as `model.zero_grad()` (set_to_none=True).
    public func zeroGrad() { for p in parameters() { p.zeroGrad() } }

    // MARK: State dict

    /// Every parameter under every name (tied tensors under each), as `model.state_dict()`.
    /// The tensors are the live parameters, not copies; checkpoint writers read them.
    public func stateDict() -> [(String, Tensor)] { allNamedParameters() }

    /// Copies values into this module's parameters, as `model.load_state_dict(d, strict)`.
    /// With `strict`, a missing or unexpected key stops with a message listing them; a shape
    /// mismatch always does.
    public func loadStateDict(_ dict: [(String, Tensor)], strict: Bool = true) {
        let own = allNamedParameters()
        var given: [String: Tensor] = [:]
        for (name, t) in dict { given[name] = t }
        let ownNames = Set(own.map(\.0))
        let missing = own.map(\.0).filter { given[$0] == nil }
        let unexpected = dict.map(\.0).filter { !ownNames.contains($0) }
        if strict && (!missing.isEmpty || !unexpected.isEmpty) {
            var parts: [String] = []
            if !missing.isEmpty { parts.append("missing keys \(missing)") }
            if !unexpected.isEmpty { parts.append("unexpected keys \(unexpected)") }
            fail("loadStateDict: \(type(of: self)): \(parts.joined(separator: "; ")) (was the checkpoint saved from a different model?)")
        }
        for (name, p) in own {
            guard let t = given[name] else { continue }
            if t.shape != p.shape {
                fail("loadStateDict: \(name): checkpoint has shape \(show(t.shape)), model has \(show(p.shape))")
            }
            if t !== p { p.copyFrom(t) }
        }
    }
}

extension Module: CustomStringConvertible {
    /// A tree of modules and parameter shapes, in the spirit of `print(model)`.
    public var description: String {
        var lines: [String] = []
        func visit(_ module: Module, _ name: String, _ depth: Int) {
            let pad = String(repeating: "  ", count: depth)
            let (parameters, children) = module.members()
            let shapes = parameters.map { "\($0.0) \(show($0.1.shape))" }.joined(separator: ", ")
            lines.append("\(pad)\(name.isEmpty ? "" : "(\(name)): ")\(type(of: module))\(shapes.isEmpty ? "" : "(\(shapes))")")
            for (childName, child) in children { visit(child, childName, depth + 1) }
        }
        visit(self, "", 0)
        return lines.joined(separator: "\n")
    }
}

/// A child module that can be swapped after the model is built: `@Replaceable public var query:
/// any LinearLayer`. Swift has no `setattr`, and only a class can assign its own stored
/// properties; the wrapper keeps the child in a box `Module` can reach by reflection (as
/// mlx-swift's `@ModuleInfo`), so `setSubmodule` works on any module that marks a child so.
@propertyWrapper
public final class Replaceable<Value> {
    public var wrappedValue: Value
    public init(wrappedValue: Value) { self.wrappedValue = wrappedValue }
}

/// What `Module` sees of a `Replaceable` box, whatever its value type.
protocol ReplaceableSlot: AnyObject {
    var child: Module { get }
    func replace(with module: Module) -> Bool
}

extension Replaceable: ReplaceableSlot {
    var child: Module {
        guard let module = wrappedValue as? Module else { fail("@Replaceable holds a \(Value.self), which is not a Module") }
        return module
    }

    func replace(with module: Module) -> Bool {
        guard let value = module as? Value else { return false }
        wrappedValue = value
        return true
    }
}
