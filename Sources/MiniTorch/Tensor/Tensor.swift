/// An n-dimensional array of Float32 that can remember how it was computed.
///
/// Storage is always contiguous and row-major (the last axis varies fastest), so every op is a
/// loop over a plain buffer. A tensor is a class: the autograd graph and the optimizer hold
/// references to the same parameters the model uses.
public final class Tensor {
    public let storage: Storage
    public let shape: [Int]

    // Every op reads these flags, and Swift checks each access to a class's `var` at run time
    // for overlapping writes (two calls into the runtime, ~100 instructions: as much as the rest
    // of a small matmul's bookkeeping). Nothing here hands them out `inout`, so the check is off.

    /// Whether gradients flow into this tensor. Leaves with `requiresGrad` collect `grad`.
    @exclusivity(unchecked) public var requiresGrad: Bool
    /// dLoss/dSelf, accumulated by `backward()` until `zeroGrad()`.
    @exclusivity(unchecked) public var grad: Tensor?
    /// How this tensor was computed; `nil` for leaves (inputs, parameters).
    @exclusivity(unchecked) public internal(set) var gradFn: Node?

    public init(storage: Storage, shape: [Int], requiresGrad: Bool = false) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in shape \(shape)")
        precondition(storage.count == shape.reduce(1, *), "Tensor: storage of \(storage.count) elements does not fit shape \(shape)")
        self.storage = storage
        self.shape = shape
        self.requiresGrad = requiresGrad
    }

    /// An uninitialised tensor; callers fill every element.
    public convenience init(uninitializedShape shape: [Int]) {
        self.init(storage: Storage(count: shape.reduce(1, *)), shape: shape)
    }

    /// A tensor holding `data` in row-major order: `Tensor([1, 2, 3, 4], shape: [2, 2])`.
    public convenience init(_ data: [Float], shape: [Int]? = nil, requiresGrad: Bool = false) {
        let shape = shape ?? [data.count]
        if data.count != shape.reduce(1, *) {
            fail("Tensor: \(data.count) values cannot fill shape \(shape) (\(shape.reduce(1, *)) elements)")
        }
        self.init(uninitializedShape: shape)
        data.withUnsafeBufferPointer { storage.pointer.update(from: $0.baseAddress!, count: data.count) }
        self.requiresGrad = requiresGrad
    }

    /// A 2-D tensor from rows: `Tensor(rows: [[1, 2], [3, 4]])`.
    public convenience init(rows: [[Float]], requiresGrad: Bool = false) {
        let columns = rows.first?.count ?? 0
        if rows.contains(where: { $0.count != columns }) { fail("Tensor(rows:): rows have different lengths") }
        self.init(rows.flatMap { $0 }, shape: [rows.count, columns], requiresGrad: requiresGrad)
    }

    /// A 0-d tensor (a scalar), as `torch.tensor(3.0)`.
    public convenience init(scalar: Float) { self.init([scalar], shape: []) }

    public var count: Int { storage.count }
    public var rank: Int { shape.count }
    public var pointer: UnsafeMutablePointer<Float> { storage.pointer }
    public var buffer: UnsafeMutableBufferPointer<Float> { storage.buffer }

    /// The values in row-major order.
    public var scalars: [Float] { Array(storage.buffer) }

    /// The single value of a one-element tensor, as `tensor.item()`.
    public func item() -> Float {
        if count != 1 { fail("item(): tensor of shape \(shape) has \(count) elements, not 1") }
        return storage.pointer[0]
    }

    /// Size along `axis` (negative counts from the end).
    public func size(_ axis: Int) -> Int { shape[normalizeAxis(axis)] }

    /// Element at a full index, for tests and printing (not for hot loops).
    public subscript(index: Int...) -> Float {
        get { storage.pointer[flatIndex(index)] }
        set { storage.pointer[flatIndex(index)] = newValue }
    }

    func flatIndex(_ index: [Int]) -> Int {
        if index.count != rank { fail("index \(index) has \(index.count) entries for a tensor of rank \(rank)") }
        var flat = 0
        for (i, dim) in zip(index, shape) {
            if i < 0 || i >= dim { fail("index \(index) is out of range for shape \(shape)") }
            flat = flat * dim + i
        }
        return flat
    }

    func normalizeAxis(_ axis: Int, op: String = "axis") -> Int {
        let a = axis < 0 ? axis + rank : axis
        if a < 0 || a >= Swift.max(rank, 1) { fail("\(op): axis \(axis) is out of range for shape \(shape)") }
        return a
    }

    /// Row-major strides of `shape`.
    static func strides(of shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var s = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) { strides[i] = s; s *= shape[i] }
        return strides
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let shown = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(shown)\(count > 8 ? ", ..." : "")])"
    }
}
