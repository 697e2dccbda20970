/// Every command of `gonggao`, and the groups that collect them.
enum CommandTable {
    static let all: [CommandSpec] = [
        .initStore,
        .projectImport, .projectList, .projectShow,
        .noticeDraft, .noticeEdit, .noticeSubmit, .noticeApprove, .noticeReject, .noticeCorrect,
        .noticeWithdraw, .noticeShow, .noticeList,
        .deliveriesList, .deliveriesShow, .deliveriesRetry, .deliveriesReplay,
        .channelList, .channelPause, .channelResume,
        .serve, .worker, .sandbox,
        .posterRender, .posterBatch, .qr,
        .auditVerify, .auditHead,
        .tokenCreate, .tokenList, .tokenRevoke,
        .storeBackup, .storeRestore, .storeCopy,
        .postingConfirm, .postingList, .paymentRecord,
        .warningsList, .warningsEvaluate, .warningsAck,
    ]

    static let groups: [String: String] = [
        "project": "import and inspect expropriation projects and their parcels",
        "notice": "draft, submit, approve, correct and withdraw notices",
        "deliveries": "inspect, retry and replay the deliveries queued for each channel",
        "channel": "list, pause and resume the publication channels",
        "poster": "render printable posters (PDF, PNG) with the parcel page's QR code",
        "audit": "check the audit log's hash chain against its recorded head",
        "token": "create, list and revoke the API tokens of the HTTP service",
        "store": "back up and restore the embedded SQLite store",
        "posting": "confirm and list the paper postings of approved notices (posting periods, next stage)",
        "payment": "record compensation payments",
        "warnings": "list, evaluate and acknowledge the statutory warnings",
    ]

    /// The commands under `prefix` (a group), in table order.
    static func commands(under prefix: [String]) -> [CommandSpec] {
        all.filter { Array($0.path.prefix(prefix.count)) == prefix && $0.path.count > prefix.count }
    }

    static var overview: String {
        var lines = [
            "gonggao — publishes land-expropriation notices (公告) to every channel at once",
            "",
            "usage: gonggao COMMAND [ARGUMENTS] [--config FILE] [--help]",
            "",
            "commands:",
        ]
        lines += all.map { "  " + pad($0.name, 22) + $0.summary }
        lines += [
            "",
            "Every command takes --config FILE (default: $GONGGAO_CONFIG, else Config/gonggao.json) and --help.",
            "Exit codes: 0 success, 1 runtime failure, 2 usage or config error, 3 refused (validation, permission, workflow).",
            "GONGGAO_CLOCK=<ISO 8601 instant> fixes the clock (tests, demos).",
        ]
        return lines.joined(separator: "\n")
    }

    static func groupHelp(_ group: String) -> String {
        var lines = ["gonggao \(group) — \(groups[group] ?? "")", "", "commands:"]
        for command in commands(under: [group]) {
            lines += ["  " + command.usageLine, "      " + command.summary]
        }
        lines += ["", "See 'gonggao \(group) COMMAND --help' for one command."]
        return lines.joined(separator: "\n")
    }
}
