/// Double quantisation: quantising the quantisation constants (QLoRA, section 3).
///
/// With blocks of 64, the Float32 absmax of each block costs 32/64 = 0.5 bits a parameter, an
/// eighth of the 4 bits the weights themselves take. QLoRA quantises those constants again, as
/// bitsandbytes `quantize_4bit(compress_statistics=True)` does:
///
///     offset   = mean(absmax)                         absmax values are all positive; centre them
///     c        = absmax - offset                      now symmetric around 0
///     c        -> 8-bit codes in blocks of 256        each block of 256 keeps one Float32 absmax2
///     absmax  ~= dynamicMap8bit[code] * absmax2 + offset
///
/// Cost: 8/64 bits a parameter for the codes and 32/(64 x 256) for the second-level constants,
/// 0.127 instead of 0.5 (plus one Float32 offset for the whole tensor).
public final class DoubleQuantizedAbsmax {
    /// One 8-bit code of `dynamicMap8bit` per first-level block.
    public let codes: ByteStorage
    /// One Float32 per block of 256 codes.
    public let absmax: Tensor
    /// The mean that was subtracted, a Float32 scalar.
    public let offset: Tensor
    public let blockSize: Int

    /// Quantises the first-level constants `values` (Float32, one per block).
    public init(_ values: Tensor, blockSize: Int = 256) {
        let n = values.count
        let mean = values.scalars.reduce(0, +) / Float(Swift.max(n, 1))
        let centred = values.scalars.map { $0 - mean }
        (codes, absmax) = quantizeBlockwise8bit(centred, blockSize: blockSize)
        offset = Tensor(scalar: mean)
        self.blockSize = blockSize
    }

    /// Bytes held: the codes, the second-level constants and the offset.
    public var storageBytes: Int { codes.count + (absmax.count + offset.count) * MemoryLayout<Float>.stride }

    /// The first-level constants back as Float32.
    public func dequantize() -> [Float] {
        let mean = offset.item()
        return (0..<codes.count).map { i in
            dynamicMap8bit[Int(codes.pointer[i])] * absmax.pointer[i / blockSize] + mean
        }
    }
}

/// Block-wise absmax quantisation of `values` to 8-bit codes of `dynamicMap8bit`, as bitsandbytes
/// `quantize_blockwise(A, code=create_dynamic_map(), blocksize)`: nearest code to value / absmax.
func quantizeBlockwise8bit(_ values: [Float], blockSize: Int) -> (codes: ByteStorage, absmax: Tensor) {
    let n = values.count, blocks = (n + blockSize - 1) / blockSize
    let codes = ByteStorage(count: n)
    let absmax = Tensor(uninitializedShape: [blocks])
    let map = dynamicMap8bit
    for block in 0..<blocks {
        let range = (block * blockSize)..<Swift.min(n, (block + 1) * blockSize)
        let largest = values[range].reduce(Float(0)) { Swift.max($0, abs($1)) }
        absmax.pointer[block] = largest
        let inverse = largest > 0 ? 1 / largest : 0
        for i in range { codes.pointer[i] = nearestIndex(map, values[i] * inverse) }
    }
    return (codes, absmax)
}

/// Index of the entry of the sorted `table` nearest to `x` (binary search, then the closer neighbour).
func nearestIndex(_ table: [Float], _ x: Float) -> UInt8 {
    var low = 0, high = table.count - 1
    while high - low > 1 {
        let mid = (low + high) / 2
        if table[mid] <= x { low = mid } else { high = mid }
    }
    return UInt8(abs(x - table[low]) <= abs(table[high] - x) ? low : high)
}
