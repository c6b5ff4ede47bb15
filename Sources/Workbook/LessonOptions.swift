import ArgumentParser

/// The options every lesson shares: `--seed`, `--out DIR` and `--quiet`.
///
/// A lesson adds them with `@OptionGroup var options: LessonOptions` next to its own options.
/// The default output folder depends on the lesson, so `out` stays `nil` here and the lesson's
/// `outputPath` (see `LessonCommand`) fills in `runs/<lesson folder>`.
public struct LessonOptions: ParsableArguments, Sendable {
    @Option(help: "Seed for every random number in the run; the same seed gives the same curve.")
    public var seed: Int = 42

    @Option(
        help: ArgumentHelp(
            "Folder for the run's CSV files and named outputs (default: runs/<lesson>).",
            valueName: "dir"))
    public var out: String?

    @Flag(help: "Print nothing but errors: no progress bar, tables or plots.")
    public var quiet: Bool = false

    public init() {}

    public func validate() throws {
        try atLeast(seed, 0, "--seed")
        if let out, out.isEmpty {
            throw ValidationError("--out must name a folder (got an empty string)")
        }
    }
}
