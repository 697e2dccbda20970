/// How `gonggao` ends, as its process exit code.
enum ExitStatus: Int32, Sendable {
    /// The command did what was asked (including "already approved": nothing left to do).
    case success = 0
    /// Something failed at run time: the store, the disk, a broken audit chain.
    case failure = 1
    /// The command line or the config is wrong: unknown command or option, missing argument,
    /// bad option value, an input FILE that does not exist, an unusable config file.
    case usage = 2
    /// Gonggao refused the request: invalid input content, an unknown id or user, a permission
    /// or workflow rule (four-eyes, wrong state).
    case refused = 3
}
