/// Why a training run stopped early, in one line that says what to do about it.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    /// The loss (or the gradient norm) stopped being a finite number at optimizer step `step`
    /// (counted from 1), under learning rate `learningRate`.
    case nonFinite(quantity: String, value: Float, step: Int, learningRate: Float)
    /// `TrainingArguments.validate()` found a bad value.
    case invalidArguments(String)
    /// There is nothing to train on.
    case emptyDataset(String)
    /// A checkpoint could not be written, or the one to resume from is missing or broken.
    case checkpoint(String)

    public var description: String {
        switch self {
        case let .nonFinite(quantity, value, step, learningRate):
            let word = value.isNaN ? "NaN" : (value > 0 ? "inf" : "-inf")
            return "\(quantity) became \(word) at step \(step) (learning rate \(learningRate)); try a lower --learning-rate"
        case let .invalidArguments(message):
            return message
        case let .emptyDataset(message), let .checkpoint(message):
            return message
        }
    }

    /// Equal when they say the same thing (so a NaN loss equals a NaN loss, unlike Float's ==).
    public static func == (a: TrainingError, b: TrainingError) -> Bool { a.description == b.description }
}
