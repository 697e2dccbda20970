import GonggaoCore

extension ArgumentSpec {
    static let noticeID = ArgumentSpec(name: "ID", help: "the notice id, e.g. ntc_3k9v0q7m2xwe")
    static let noticeFile = ArgumentSpec(name: "FILE", help: "the notice content as JSON (see Config/samples/*.pre-announcement.json)")
}

extension OptionSpec {
    static let reason = OptionSpec(name: "reason", value: "TEXT", required: true, help: "why (recorded in the notice and the audit log)")
}

/// Runs a workflow call that validates notice content from `file`, naming the file in its errors.
func refusingInput<T>(from file: String, _ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as ValidationError {
        throw InputRefused(source: file, error: error)
    }
}

/// What `--json` prints for a notice action: the version, whether this call changed it, and the
/// deliveries it queued (approve, withdraw).
struct NoticeActionResult: Encodable {
    var changed: Bool
    var notice: NoticeVersion
    var deliveries: [Delivery]?
}
