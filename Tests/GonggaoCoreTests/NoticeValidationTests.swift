import GonggaoCore
import TestSupport
import Testing

/// Per-kind validation of a notice's content; every refusal names its field.
@Suite struct NoticeValidationTests {
    let project = Fixtures.sampleProject()

    @Test(arguments: NoticeKind.allCases)
    func aCompleteNoticeOfEveryKindValidates(kind: NoticeKind) throws {
        try Fixtures.content(kind).validate(in: project)
    }

    @Test func theSampleNoticesValidate() throws {
        try Fixtures.preAnnouncement().validate(in: project)
        try Fixtures.compensationPlan().validate(in: project)
    }

    struct Case: Sendable, CustomStringConvertible {
        let description: String
        let field: String
        let kind: NoticeKind
        let change: @Sendable (inout NoticeContent) -> Void

        init(
            _ description: String, field: String, kind: NoticeKind = .preAnnouncement,
            _ change: @escaping @Sendable (inout NoticeContent) -> Void
        ) {
            self.description = description
            self.field = field
            self.kind = kind
            self.change = change
        }
    }

    static let longKey = String(repeating: "a", count: Project.maxKeyLength + 1)

    static let cases: [Case] = [
        Case("missing title", field: "title") { $0.title = "" },
        Case("blank title", field: "title") { $0.title = "  \n" },
        Case("title over 200 characters", field: "title") { $0.title = String(repeating: "公", count: 201) },
        Case("missing issuer", field: "issuer") { $0.issuer = "" },
        Case("missing document number", field: "documentNumber") { $0.documentNumber = " " },
        Case("no body", field: "body") { $0.body = [] },
        Case("an empty paragraph", field: "body[1]") { $0.body[1] = "   " },
        Case("no parcels", field: "parcels") { $0.parcels = [] },
        Case("another project", field: "project") { $0.project = "330523-2026-38" },
        Case("parcel not in the project", field: "parcels[1]") { $0.parcels[1] = "330523-2026-37-9" },
        Case("non-ASCII parcel key", field: "parcels[0]") { $0.parcels[0] = "330523-2026-37-一" },
        Case("parcel key over 40 characters", field: "parcels[0]") { $0.parcels[0] = longKey },
        Case("parcel key with a space", field: "parcels[0]") { $0.parcels[0] = "330523 2026" },
        Case("empty parcel key", field: "parcels[1]") { $0.parcels[1] = "" },
        Case("duplicate parcel", field: "parcels[2]") { $0.parcels.append(Fixtures.parcel1) },
        Case("body over 20,000 characters in total", field: "body") {
            $0.body = [String(repeating: "征", count: 10_000), String(repeating: "地", count: 10_001)]
        },
        Case("expropriation without approval", field: "approval", kind: .expropriation) { $0.approval = nil },
        Case("decision without approval", field: "approval", kind: .decision) { $0.approval = nil },
        Case("approval without authority", field: "approval.authority", kind: .expropriation) {
            $0.approval?.authority = ""
        },
        Case("approval without document number", field: "approval.documentNumber", kind: .decision) {
            $0.approval?.documentNumber = " "
        },
        Case("hearing without hearing details", field: "hearing", kind: .hearing) { $0.hearing = nil },
        Case("hearing without a place", field: "hearing.place", kind: .hearing) { $0.hearing?.place = "" },
    ]

    @Test(arguments: cases)
    func refused(_ c: Case) {
        var content = Fixtures.content(c.kind)
        c.change(&content)
        let error = #expect(throws: ValidationError.self) { try content.validate(in: project) }
        #expect(error?.field == c.field, "\(error?.description ?? "no error")")
        #expect(error.map { !$0.description.contains("\n") } ?? false)
    }

    @Test func errorMessagesSayWhatIsWrong() throws {
        func message(_ change: (inout NoticeContent) -> Void) -> String {
            var content = Fixtures.preAnnouncement()
            change(&content)
            do {
                try content.validate(in: project)
                return "accepted"
            } catch {
                return error.description
            }
        }
        #expect(message { $0.parcels[1] = "330523-2026-37-9" }.contains("not in project '330523-2026-37'"))
        #expect(message { $0.parcels[0] = "地块一" }.contains("not ASCII"))
        #expect(message { $0.parcels[0] = Self.longKey }.contains("at most 40"))
        #expect(message { $0.parcels.append(Fixtures.parcel2) }.contains("twice"))
        #expect(
            message { $0.body = [String(repeating: "字", count: 20_001)] }.contains("20001 characters, at most 20000"))
    }

    @Test func bodyLimitCountsCharactersNotBytes() throws {
        var content = Fixtures.preAnnouncement()
        // 20,000 Chinese characters are 60,000 UTF-8 bytes and still allowed.
        content.body = [String(repeating: "征", count: 12_000), String(repeating: "地", count: 8_000)]
        try content.validate(in: project)
        content.body[1].append("。")
        #expect(throws: ValidationError.self) { try content.validate(in: project) }
    }

    @Test func aKeyOfExactly40CharactersIsWellFormed() throws {
        try Project.validateKey(String(repeating: "k", count: 40), field: "key")
        #expect(throws: ValidationError(field: "key", "is required")) { try Project.validateKey("", field: "key") }
        #expect(throws: ValidationError.self) { try Project.validateKey("-abc", field: "key") }
        #expect(throws: ValidationError.self) { try Project.validateKey("abc-", field: "key") }
        #expect(throws: ValidationError.self) { try Project.validateKey("a/b", field: "key") }
    }

    @Test func onlyExpropriationAndDecisionRequireAnApproval() {
        #expect(NoticeKind.allCases.filter(\.requiresApproval) == [.expropriation, .decision])
        #expect(NoticeKind(rawValue: "pre-announcement") == .preAnnouncement)
        #expect(NoticeKind(rawValue: "announcement") == nil)
        #expect(NoticeKind.names.contains("survey-results"))
        #expect(Set(NoticeKind.allCases.map(\.chineseName)).count == NoticeKind.allCases.count)
    }
}
