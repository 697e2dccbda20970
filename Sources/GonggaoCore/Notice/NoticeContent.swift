/// What a drafter writes: everything printed and pushed for one version of a notice.
public struct NoticeContent: Codable, Equatable, Sendable {
    /// The project the notice belongs to.
    public var project: String
    public var kind: NoticeKind
    public var title: String
    /// Issuing body, e.g. 安吉县人民政府.
    public var issuer: String
    /// 发文字号, e.g. 安政征预〔2026〕37号.
    public var documentNumber: String
    /// 成文日期, a calendar date in Asia/Shanghai.
    public var dateWritten: CivilDate
    /// Keys of the parcels the notice covers, all in `project`.
    public var parcels: [String]
    /// Body paragraphs, printed with a two-character first-line indent.
    public var body: [String]
    /// The approval an expropriation announcement or decision rests on.
    public var approval: ApprovalReference?
    /// When and where a hearing is held (hearing notices).
    public var hearing: HearingDetails?
    /// When compensation is due (compensation plans; the payment warnings read it).
    public var payment: PaymentTerms?

    public init(project: String, kind: NoticeKind, title: String, issuer: String, documentNumber: String,
                dateWritten: CivilDate, parcels: [String], body: [String],
                approval: ApprovalReference? = nil, hearing: HearingDetails? = nil, payment: PaymentTerms? = nil) {
        self.project = project
        self.kind = kind
        self.title = title
        self.issuer = issuer
        self.documentNumber = documentNumber
        self.dateWritten = dateWritten
        self.parcels = parcels
        self.body = body
        self.approval = approval
        self.hearing = hearing
        self.payment = payment
    }
}

/// The compensation plan's payment terms: by when compensation is paid (and how, as printed).
public struct PaymentTerms: Codable, Equatable, Sendable {
    public var dueDate: CivilDate
    public var method: String?

    public init(dueDate: CivilDate, method: String? = nil) {
        self.dueDate = dueDate
        self.method = method
    }
}

/// The approving authority, its approval document number (批准文号) and date.
public struct ApprovalReference: Codable, Equatable, Sendable {
    public var authority: String
    public var documentNumber: String
    public var date: CivilDate

    public init(authority: String, documentNumber: String, date: CivilDate) {
        self.authority = authority
        self.documentNumber = documentNumber
        self.date = date
    }
}

/// Date and place of a hearing.
public struct HearingDetails: Codable, Equatable, Sendable {
    public var date: CivilDate
    public var place: String

    public init(date: CivilDate, place: String) {
        self.date = date
        self.place = place
    }
}
