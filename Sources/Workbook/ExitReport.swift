/// What a lesson prints and the status it exits with when it stops early.
///
/// `LessonMain.main()` builds one of these and then acts on it; tests build the same value
/// and look at it, without starting a process.
///
/// Exit statuses, as shells and `make` read them:
/// - 0: success, or `--help`
/// - 1: the run failed (`error: loss became NaN at step 37 ...`)
/// - 2: bad usage: an unknown flag, a value of the wrong type or out of range
public struct ExitReport: Equatable, Sendable {
    public static let runFailed: Int32 = 1
    public static let usageError: Int32 = 2

    /// Text for standard output (the help screen), or empty.
    public var standardOutput: String
    /// Text for standard error: one `error: ...` line and at most one hint line, or empty.
    public var standardError: String
    public var status: Int32

    public init(standardOutput: String = "", standardError: String = "", status: Int32) {
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.status = status
    }
}
