import Foundation

/// Stops the program with one line a learner can act on: `error: matmul: [4, 3] x [5, 6]: ...`.
///
/// Shape mismatches and invalid arguments are mistakes in the calling code, so ops do not throw;
/// they end the process with status 1 and no stack trace. Tests check these messages with exit
/// tests (`#expect(processExitsWith: .failure)`).
public func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    exit(1)
}

/// Formats a shape the way messages show it: `[4, 3]`.
func show(_ shape: [Int]) -> String { "[\(shape.map(String.init).joined(separator: ", "))]" }
