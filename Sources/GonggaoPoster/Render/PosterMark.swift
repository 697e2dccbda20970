import Foundation
import GonggaoCore

/// The red line above a poster's title that says what the poster is, worded once for every caller
/// (`gonggao poster render`/`batch`, the print channel): a draft, a correction (更正) naming the
/// document number it corrects, or a withdrawal notice (撤回公告).
public enum PosterMark: Sendable, Equatable {
    /// Not approved yet: must not be posted.
    case draft(reference: String)
    /// Version `version` corrects `documentNumber` (version `correctedVersion`).
    case correction(version: Int, documentNumber: String, correctedVersion: Int)
    /// The notice was withdrawn on `date`; the poster announces the withdrawal.
    case withdrawal(date: CivilDate)

    /// The line printed above the title.
    public var text: String {
        switch self {
        case .draft(let reference):
            "草稿：\(reference)尚未批准，不得张贴"
        case .correction(let version, let documentNumber, let correctedVersion):
            "更正公告：本版（第\(version)版）更正\(documentNumber)（第\(correctedVersion)版）"
        case .withdrawal(let date):
            "撤回公告：本公告已于\(date.chinese)撤回，原公告内容作废"
        }
    }

    /// A correction of `corrects` by `notice`.
    public static func correction(_ notice: NoticeVersion, corrects: NoticeVersion) -> PosterMark {
        .correction(version: notice.version, documentNumber: corrects.content.documentNumber,
                    correctedVersion: corrects.version)
    }

    /// A withdrawal notice for `notice`, dated when it was withdrawn (`fallback` if the store has no time).
    public static func withdrawal(_ notice: NoticeVersion, fallback: Date) -> PosterMark {
        .withdrawal(date: CivilDate(notice.withdrawnAt ?? fallback))
    }

    /// The mark of a stored version by its state: 草稿 before approval, 撤回公告 once withdrawn, 更正
    /// for a later version (`previous` is version n−1, which it corrects); nil for a first approved version.
    public static func of(_ notice: NoticeVersion, previous: NoticeVersion?) -> PosterMark? {
        switch notice.state {
        case .draft, .submitted:
            return .draft(reference: notice.reference)
        case .withdrawn:
            return withdrawal(notice, fallback: notice.updatedAt)
        case .approved, .superseded:
            guard notice.version > 1, let previous else { return nil }
            return correction(notice, corrects: previous)
        }
    }
}
