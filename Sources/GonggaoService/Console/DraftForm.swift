import Foundation
import GonggaoCore

/// The draft form's fields as text, as entered (so a refused form shows them again unchanged).
struct DraftForm: Sendable, Equatable {
    var kind = NoticeKind.preAnnouncement.rawValue
    var title = ""
    var issuer = ""
    var documentNumber = ""
    var dateWritten = ""
    var parcels: [String] = []
    /// Paragraphs separated by a blank line.
    var body = ""
    var approvalAuthority = ""
    var approvalDocumentNumber = ""
    var approvalDate = ""
    var hearingDate = ""
    var hearingPlace = ""
    var paymentDueDate = ""
    var paymentMethod = ""

    /// The one-line text fields by form field name (what the template puts back in the inputs).
    var textValues: [String: String] {
        [
            "title": title, "issuer": issuer, "documentNumber": documentNumber, "dateWritten": dateWritten,
            "approvalAuthority": approvalAuthority, "approvalDocumentNumber": approvalDocumentNumber,
            "approvalDate": approvalDate,
            "hearingDate": hearingDate, "hearingPlace": hearingPlace, "paymentDueDate": paymentDueDate,
            "paymentMethod": paymentMethod,
        ]
    }

    init() {}

    /// A fresh form for `project`: every parcel ticked, the county government as issuer, today's date.
    init(project: Project, today: CivilDate) {
        issuer = project.county.name + "人民政府"
        dateWritten = today.description
        parcels = project.parcels.map(\.key)
    }

    /// The form of an existing version's content.
    init(_ c: NoticeContent) {
        kind = c.kind.rawValue
        title = c.title
        issuer = c.issuer
        documentNumber = c.documentNumber
        dateWritten = c.dateWritten.description
        parcels = c.parcels
        body = c.body.joined(separator: "\n\n")
        approvalAuthority = c.approval?.authority ?? ""
        approvalDocumentNumber = c.approval?.documentNumber ?? ""
        approvalDate = c.approval?.date.description ?? ""
        hearingDate = c.hearing?.date.description ?? ""
        hearingPlace = c.hearing?.place ?? ""
        paymentDueDate = c.payment?.dueDate.description ?? ""
        paymentMethod = c.payment?.method ?? ""
    }

    /// The submitted form.
    init(_ form: ConsoleForm) {
        kind = form.text("kind")
        title = form.text("title")
        issuer = form.text("issuer")
        documentNumber = form.text("documentNumber")
        dateWritten = form.text("dateWritten")
        parcels = form.all("parcels")
        body = (form["body"] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        approvalAuthority = form.text("approvalAuthority")
        approvalDocumentNumber = form.text("approvalDocumentNumber")
        approvalDate = form.text("approvalDate")
        hearingDate = form.text("hearingDate")
        hearingPlace = form.text("hearingPlace")
        paymentDueDate = form.text("paymentDueDate")
        paymentMethod = form.text("paymentMethod")
    }

    /// Body paragraphs: blocks separated by blank lines, each trimmed.
    var paragraphs: [String] {
        var out: [String] = []
        var current: [String] = []
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                if !current.isEmpty { out.append(current.joined(separator: "\n")) }
                current = []
            } else {
                current.append(trimmed)
            }
        }
        if !current.isEmpty { out.append(current.joined(separator: "\n")) }
        return out
    }

    /// The content for `project`, or the errors of the fields that do not parse (named as the API
    /// names them: `kind`, `dateWritten`, `approval.date`, …). Everything else is left to the
    /// workflow's validation, the API's.
    func content(project: String) -> Result<NoticeContent, Refused> {
        var errors: [ValidationError] = []
        func date(_ text: String, _ field: String) -> CivilDate? {
            guard let d = CivilDate(iso: text) else {
                errors.append(
                    ValidationError(
                        field: field, text.isEmpty ? "is required" : "'\(text)' is not a date of the form YYYY-MM-DD"))
                return nil
            }
            return d
        }
        let kind = NoticeKind(rawValue: self.kind)
        if kind == nil {
            errors.append(
                ValidationError(field: "kind", "'\(self.kind)' is not a notice kind (one of: \(NoticeKind.names))"))
        }
        let written = date(dateWritten, "dateWritten")
        var approval: ApprovalReference?
        if !(approvalAuthority + approvalDocumentNumber + approvalDate).isEmpty,
            let d = date(approvalDate, "approval.date")
        {
            approval = ApprovalReference(authority: approvalAuthority, documentNumber: approvalDocumentNumber, date: d)
        }
        var hearing: HearingDetails?
        if !(hearingDate + hearingPlace).isEmpty, let d = date(hearingDate, "hearing.date") {
            hearing = HearingDetails(date: d, place: hearingPlace)
        }
        var payment: PaymentTerms?
        if !(paymentDueDate + paymentMethod).isEmpty, let d = date(paymentDueDate, "payment.dueDate") {
            payment = PaymentTerms(dueDate: d, method: paymentMethod.isEmpty ? nil : paymentMethod)
        }
        guard errors.isEmpty, let kind, let written else { return .failure(Refused(errors: errors)) }
        return .success(
            NoticeContent(
                project: project, kind: kind, title: title, issuer: issuer, documentNumber: documentNumber,
                dateWritten: written,
                parcels: parcels, body: paragraphs, approval: approval, hearing: hearing, payment: payment))
    }

    /// The fields that did not parse.
    struct Refused: Error, Equatable {
        let errors: [ValidationError]
    }

    /// The element id suffix of an API field path: `parcels[1]` → `parcels`, `approval.date` → `approval-date`.
    static func fieldID(_ path: String) -> String {
        var out = ""
        var inBracket = false
        for ch in path {
            if ch == "[" {
                inBracket = true
            } else if ch == "]" {
                inBracket = false
            } else if !inBracket {
                out.append(ch == "." ? "-" : ch)
            }
        }
        return out
    }

    /// The Chinese label of a field id, for messages.
    static func label(_ id: String) -> String {
        [
            "kind": "公告类型", "title": "公告标题", "issuer": "发文机关", "documentNumber": "发文字号", "dateWritten": "成文日期",
            "parcels": "涉及地块", "body": "正文", "approval": "批准文件", "approval-authority": "批准机关",
            "approval-documentNumber": "批准文号", "approval-date": "批准日期", "hearing": "听证信息", "hearing-date": "听证日期",
            "hearing-place": "听证地点", "payment": "补偿支付", "payment-dueDate": "支付期限", "project": "项目",
        ][id] ?? id
    }
}
