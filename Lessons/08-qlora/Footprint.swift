import MiniTorch

/// Bits a parameter, measured from what the quantised tensors hold.
public struct Footprint: Sendable {
    public let name: String
    public let parameters: Int
    /// Bytes of packed codes, and of everything else (block constants, their codes, offsets).
    public let codeBytes: Int
    public let constantBytes: Int
    /// Bytes the memory ledger saw allocated and still alive after quantising.
    public let ledgerBytes: Int
    public var totalBytes: Int { codeBytes + constantBytes }
    public var bitsPerParameter: Double { Double(8 * totalBytes) / Double(parameters) }
}

// ANCHOR: footprint
/// Quantises `tensors` (NF4, blocks of 64) with or without double quantisation and adds up
/// the bytes they occupy, as counted by the memory ledger.
public func measureFootprint(_ name: String, _ tensors: [Tensor], doubleQuantization: Bool) -> Footprint {
    let (quantized, ledgerBytes) = allocatedBytes {
        tensors.map { quantize4bit($0, quantType: .nf4, blockSize: 64, compressStatistics: doubleQuantization) }
    }
    let codes = quantized.reduce(0) { $0 + $1.packed.count }
    let all = quantized.reduce(0) { $0 + $1.storageBytes }
    return Footprint(name: name, parameters: tensors.reduce(0) { $0 + $1.count },
                     codeBytes: codes, constantBytes: all - codes, ledgerBytes: ledgerBytes)
}
// ANCHOR_END: footprint

/// The four measurements of the chapter: the encoder's weights and one large matrix, each
/// without and with double quantisation.
public func footprints(model: Module, largeMatrix: Tensor) -> [Footprint] {
    let encoder = encoderLinearWeights(model).map(\.1)
    return [
        measureFootprint("encoder linear weights", encoder, doubleQuantization: false),
        measureFootprint("encoder linear weights", encoder, doubleQuantization: true),
        measureFootprint("one \(largeMatrix.shape[0]) x \(largeMatrix.shape[1]) matrix", [largeMatrix], doubleQuantization: false),
        measureFootprint("one \(largeMatrix.shape[0]) x \(largeMatrix.shape[1]) matrix", [largeMatrix], doubleQuantization: true),
    ]
}

/// Runs `body` and returns its result with the bytes of tensor and byte storage it allocated that
/// are still alive when it returns (what the result holds), as the memory ledger counts them.
public func allocatedBytes<T>(_ body: () -> T) -> (T, Int) {
    MemoryLedger.measure { () -> (T, Int) in
        let result = body()
        return (result, MemoryLedger.current.liveBytes)
    }.result
}
