import ArgumentParser

// Checks a lesson's `validate()` uses to reject bad flag values with one line a learner can act
// on. Each throws ArgumentParser's `ValidationError`, which the lesson's `main()` prints as
// `error: <message>` and turns into exit status 2 (bad usage), before any training starts.
//
//     func validate() throws {
//         try atLeast(perDeviceTrainBatchSize, 1, "--per-device-train-batch-size")
//         try positive(learningRate, "--learning-rate")
//         try inRange(weightDecay, 0...1, "--weight-decay")
//         try check(warmupSteps <= maxSteps,
//                   "--warmup-steps (\(warmupSteps)) must not exceed --max-steps (\(maxSteps))")
//     }

/// Fails with `message` unless `condition` holds.
public func check(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw ValidationError(message()) }
}

/// `--per-device-train-batch-size must be at least 1 (got 0)`.
public func atLeast<T: Comparable>(_ value: T, _ minimum: T, _ flag: String) throws {
    try check(value >= minimum, "\(flag) must be at least \(minimum) (got \(value))")
}

/// `--learning-rate must be a positive number (got nan)`. NaN and infinity are rejected too:
/// every comparison with NaN is false, so `value > 0` alone would let `inf` through.
public func positive<T: BinaryFloatingPoint>(_ value: T, _ flag: String) throws {
    try check(value.isFinite && value > 0, "\(flag) must be a positive number (got \(value))")
}

/// `--per-device-train-batch-size must be positive (got 0)`, for whole numbers.
public func positive<T: BinaryInteger>(_ value: T, _ flag: String) throws {
    try check(value > 0, "\(flag) must be positive (got \(value))")
}

/// `--weight-decay must be between 0.0 and 1.0 (got 2.0)`. Rejects NaN and infinity.
public func inRange<T: BinaryFloatingPoint>(_ value: T, _ range: ClosedRange<T>, _ flag: String) throws {
    try check(
        value.isFinite && range.contains(value),
        "\(flag) must be between \(range.lowerBound) and \(range.upperBound) (got \(value))")
}

/// `--gradient-accumulation-steps must be between 1 and 64 (got 0)`, for whole numbers.
public func inRange<T: BinaryInteger>(_ value: T, _ range: ClosedRange<T>, _ flag: String) throws {
    try check(
        range.contains(value),
        "\(flag) must be between \(range.lowerBound) and \(range.upperBound) (got \(value))")
}
