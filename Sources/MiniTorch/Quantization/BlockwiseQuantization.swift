/// Block-wise absmax quantisation to 4 bits, as bitsandbytes `quantize_4bit` /
/// `dequantize_4bit` (bitsandbytes/functional.py, CUDA kernel `kQuantizeBlockwise`).
///
/// The weights are cut into blocks of `blockSize` (64) consecutive values. Each block keeps
/// one Float32, its absmax (largest |w|), and stores every value as the 4-bit code of the
/// code-book entry nearest to w / absmax:
///
///     code_i = nearest(codebook, w_i / absmax_block)        quantise
///     w_i   ~= codebook[code_i] * absmax_block              dequantise
///
/// Small blocks keep one outlier from flattening a whole matrix onto a few codes. Two codes
/// share a byte, the first in the high nibble (`qvals[j] = q(vals[2j]) << 4 | q(vals[2j+1])` in
/// the kernel). Storage is 4 bits a value plus 32 bits a block: 4 + 32/64 = 4.5 bits a
/// parameter; double quantisation (`compressStatistics`) brings the constants down to
/// 8/64 + 32/(64 * 256) bits, 4.127 in all.
public final class Quantized4bit {
    public let shape: [Int]
    public let quantType: QuantType
    public let blockSize: Int
    /// Two 4-bit codes a byte, (count + 1) / 2 bytes.
    public let packed: ByteStorage
    /// One scale a block, plain or double-quantised.
    public let absmax: Absmax

    /// How the block constants are kept.
    public enum Absmax {
        /// One Float32 a block: 32 / blockSize bits a parameter.
        case float32(Tensor)
        /// 8-bit codes with their own constants (`compress_statistics=True`).
        case doubleQuantized(DoubleQuantizedAbsmax)
    }

    init(shape: [Int], quantType: QuantType, blockSize: Int, packed: ByteStorage, absmax: Absmax) {
        self.shape = shape
        self.quantType = quantType
        self.blockSize = blockSize
        self.packed = packed
        self.absmax = absmax
    }

    /// Number of quantised values.
    public var count: Int { shape.reduce(1, *) }
    public var blockCount: Int { (count + blockSize - 1) / blockSize }

    /// Bytes held: the packed codes plus every quantisation constant (the code books are shared
    /// constants of the program, not counted).
    public var storageBytes: Int {
        switch absmax {
        case .float32(let t): return packed.count + t.count * MemoryLayout<Float>.stride
        case .doubleQuantized(let d): return packed.count + d.storageBytes
        }
    }

    /// Storage bits a parameter, measured from the buffers: 4.5 for blocks of 64, about 4.127
    /// with double quantisation.
    public var bitsPerParameter: Double { Double(storageBytes * 8) / Double(count) }

    /// The block constants as Float32 (dequantised first when double-quantised).
    public func absmaxValues() -> [Float] {
        switch absmax {
        case .float32(let t): return t.scalars
        case .doubleQuantized(let d): return d.dequantize()
        }
    }

    /// The 4-bit codes, one per value (for tests and for counting how often each code is used).
    public func codes() -> [UInt8] {
        (0..<count).map { i in
            let byte = packed.pointer[i / 2]
            return i % 2 == 0 ? byte >> 4 : byte & 0x0F
        }
    }

    /// The Float32 tensor the codes stand for, as `dequantize_4bit`.
    public func dequantize() -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        let scales = absmaxValues()
        let table = quantType.codebook
        let o = out.pointer, q = packed.pointer
        table.withUnsafeBufferPointer { code in
            // BEGIN SOLUTION ex08_2
            for block in 0..<blockCount {
                let scale = scales[block]
                for i in (block * blockSize)..<Swift.min(count, (block + 1) * blockSize) {
                    let byte = q[i >> 1]
                    o[i] = code[Int(i & 1 == 0 ? byte >> 4 : byte & 0x0F)] * scale
                }
            }
            // END SOLUTION
        }
        return out
    }
}

/// Quantises `tensor` to 4 bits in blocks of `blockSize`, as bitsandbytes
/// `quantize_4bit(A, blocksize=64, compress_statistics=..., quant_type="nf4")`.
// ANCHOR: quantize
public func quantize4bit(_ tensor: Tensor, quantType: QuantType = .nf4, blockSize: Int = 64,
                         compressStatistics: Bool = false) -> Quantized4bit {
    if blockSize < 2 || blockSize % 2 != 0 {
        fail("quantize4bit: blockSize must be an even number of at least 2 (got \(blockSize)); bitsandbytes uses 64")
    }
    let n = tensor.count, blocks = (n + blockSize - 1) / blockSize
    let nearest = NearestCode(quantType.codebook)
    let packed = ByteStorage(count: (n + 1) / 2)
    let absmax = Tensor(uninitializedShape: [blocks])
    let x = tensor.pointer, q = packed.pointer
    // BEGIN SOLUTION ex08_1
    for block in 0..<blocks {
        let range = (block * blockSize)..<Swift.min(n, (block + 1) * blockSize)
        var largest: Float = 0
        for i in range { largest = Swift.max(largest, abs(x[i])) }
        absmax.pointer[block] = largest
        let inverse = largest > 0 ? 1 / largest : 0                  // an all-zero block stores code(0)
        for i in range {
            let code = nearest(x[i] * inverse)                       // w / absmax in [-1, 1] -> 0...15
            q[i >> 1] |= i & 1 == 0 ? code << 4 : code               // first value of a pair in the high nibble
        }
    }
    // END SOLUTION
    let constants: Quantized4bit.Absmax = compressStatistics
        ? .doubleQuantized(DoubleQuantizedAbsmax(absmax))
        : .float32(absmax)
    return Quantized4bit(shape: tensor.shape, quantType: quantType, blockSize: blockSize, packed: packed, absmax: constants)
}
// ANCHOR_END: quantize
