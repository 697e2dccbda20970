import GonggaoCore

/// What a portal request asks for, by path.
enum PortalAction: Sendable {
    case publish(PublishOperation)
    case withdraw

    /// The operation name faults filter on and history records.
    var operationName: String {
        switch self {
        case .publish(let op): op.rawValue
        case .withdraw: "withdraw"
        }
    }
}

/// Each portal's body shape, validated field by field (CONTRACT.md is the reference).
enum PortalRequests {
    /// Builds the command for `action`, reading the body of `portal`'s shape. `pathNoticeId` is the
    /// `{noticeId}` of the path, when there is one.
    static func command(
        _ portal: SandboxPortal, _ action: PortalAction, _ body: FieldReader, pathNoticeId: String?,
        limits: SandboxConfig.FieldLimits
    ) throws(PortalError) -> PortalCommand {
        let noticeId = try noticeID(body, pathNoticeId: pathNoticeId)
        let version = try body.int("version", minimum: 1)
        switch action {
        case .withdraw:
            let reason = try body.string("reason", limit: 500, optional: true)
            return .withdraw(noticeId: noticeId, version: version, reason: reason)
        case .publish(let op):
            let title: String
            switch portal {
            case .provincial: title = try provincialItem(body, limits)
            case .county: title = try countyArticle(body, limits)
            case .mobile: title = try mobileCard(body, limits)
            }
            return .publish(op, noticeId: noticeId, version: version, title: title, payload: body.value)
        }
    }

    /// The notice id from the path, or from the body's `noticeId`; both must agree when given.
    private static func noticeID(_ body: FieldReader, pathNoticeId: String?) throws(PortalError) -> String {
        let fromBody = try body.string("noticeId", limit: 64, optional: pathNoticeId != nil)
        if let pathNoticeId, let fromBody, fromBody != pathNoticeId {
            throw .invalid("noticeId", "does not match the notice id in the path (\(pathNoticeId))")
        }
        let id = pathNoticeId ?? fromBody!
        guard FieldFormats.isNoticeID(id) else {
            throw .invalid("noticeId", "must be 1–64 of A–Z a–z 0–9 _ . -")
        }
        return id
    }

    /// Provincial item: kind, title, issuer, documentNumber, dateWritten, paragraphs, parcelUrl,
    /// divisionCode; optional parcels and corrects {version, documentNumber}.
    private static func provincialItem(_ b: FieldReader, _ l: SandboxConfig.FieldLimits) throws(PortalError) -> String {
        let kind = try b.requiredString("kind", limit: 40)
        guard NoticeKind(rawValue: kind) != nil else { throw .invalid("kind", "must be one of \(NoticeKind.names)") }
        let title = try b.requiredString("title", limit: l.title)
        _ = try b.requiredString("issuer", limit: l.issuer)
        _ = try b.requiredString("documentNumber", limit: l.documentNumber)
        _ = try b.date("dateWritten")
        _ = try b.paragraphs("paragraphs", totalLimit: l.body)
        _ = try b.url("parcelUrl", limit: l.url)
        _ = try b.matching("divisionCode", limit: 6, what: "a 6-digit division code") {
            FieldFormats.isDigits($0, count: 6)
        }
        if b.has("corrects") {
            let corrects = try b.object("corrects")
            _ = try corrects.int("version", minimum: 1)
            _ = try corrects.requiredString("documentNumber", limit: l.documentNumber)
        }
        return title
    }

    /// County article: the disclosure metadata block and a plain-text body.
    private static func countyArticle(_ b: FieldReader, _ l: SandboxConfig.FieldLimits) throws(PortalError) -> String {
        let m = try b.object("metadata")
        _ = try m.matching(
            "indexNumber", limit: 30, what: "{orgCode}/{year}-{seq:5}, e.g. 000014349/2026-00012",
            FieldFormats.isIndexNumber)
        _ = try m.requiredString("topic", limit: 50)
        _ = try m.requiredString("issuingBody", limit: l.issuer)
        let written = try m.date("dateWritten")
        let title = try m.requiredString("title", limit: l.title)
        _ = try m.requiredString("documentNumber", limit: l.documentNumber)
        let published = try m.date("publishedOn")
        if published < written { throw .invalid("metadata.publishedOn", "must not be before metadata.dateWritten") }
        _ = try b.requiredString("body", limit: l.body)
        _ = try b.matching("siteId", limit: 10, optional: true, what: "a 10-digit site identifier") {
            FieldFormats.isDigits($0, count: 10)
        }
        _ = try b.url("parcelUrl", limit: l.url, optional: true)
        return title
    }

    /// Mobile card: title ≤ 30, summary ≤ 120 characters, link.
    private static func mobileCard(_ b: FieldReader, _ l: SandboxConfig.FieldLimits) throws(PortalError) -> String {
        let title = try b.requiredString("title", limit: l.mobileTitle)
        _ = try b.requiredString("summary", limit: l.mobileSummary)
        _ = try b.url("link", limit: l.url)
        _ = try b.matching("divisionCode", limit: 6, optional: true, what: "a 6-digit division code") {
            FieldFormats.isDigits($0, count: 6)
        }
        return title
    }
}
