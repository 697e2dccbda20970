/// The stages of an expropriation, each a kind of notice (Land Administration Law art. 47–49).
public enum NoticeKind: String, Codable, CaseIterable, Sendable {
    case preAnnouncement = "pre-announcement"
    case surveyResults = "survey-results"
    case compensationPlan = "compensation-plan"
    case hearing = "hearing"
    case registration = "registration"
    case expropriation = "expropriation"
    case decision = "decision"

    /// The Chinese name printed on posters and portals.
    public var chineseName: String {
        switch self {
        case .preAnnouncement: "征收土地预公告"
        case .surveyResults: "土地现状调查结果公示"
        case .compensationPlan: "征地补偿安置方案公告"
        case .hearing: "听证公告"
        case .registration: "补偿登记公告"
        case .expropriation: "征收土地公告"
        case .decision: "征地补偿安置决定"
        }
    }

    /// Kinds that must cite the approving authority and its approval document (Reg. 31).
    public var requiresApproval: Bool { self == .expropriation || self == .decision }

    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Decodes a kind by name; an unknown name is refused with the list of known ones.
    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let kind = NoticeKind(rawValue: name) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "'\(name)' is not a notice kind (one of: \(Self.names))"))
        }
        self = kind
    }
}

extension NoticeKind {
    /// The statutory minimum posting period as printed on the poster (Reg. 26, Law 47), if any.
    public var postingPeriodLine: String? {
        switch self {
        case .preAnnouncement: "本公告张贴期限不少于十个工作日。"
        case .surveyResults: "本公示期限不少于十个工作日。"
        case .compensationPlan: "本公告期限不少于三十日。"
        case .hearing, .registration, .expropriation, .decision: nil
        }
    }
}
