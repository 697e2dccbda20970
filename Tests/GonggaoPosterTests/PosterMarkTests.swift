import Foundation
import GonggaoCore
import GonggaoPoster
import Testing

/// The red line above the title, by a stored version's state (what `gonggao poster render` prints).
@Suite struct PosterMarkTests {
    static let t0 = Date(timeIntervalSince1970: 1_796_090_400) // 2026-12-01 10:00 Asia/Shanghai

    func version(_ n: Int, _ state: NoticeState, number: String) -> NoticeVersion {
        var v = NoticeVersion(id: "ntc_mark", version: n, content: Fixtures.content(), drafter: "alice", at: Self.t0)
        v.content.documentNumber = number
        v.state = state
        return v
    }

    @Test func eachStateGetsItsMark() {
        let v1 = version(1, .superseded, number: "安政征预〔2026〕36号")
        #expect(PosterMark.of(version(1, .approved, number: "安政征预〔2026〕36号"), previous: nil) == nil)
        #expect(PosterMark.of(version(1, .submitted, number: "x"), previous: nil)?.text == "草稿：ntc_mark/v1尚未批准，不得张贴")
        let v2 = version(2, .approved, number: "安政征预〔2026〕37号")
        #expect(PosterMark.of(v2, previous: v1)?.text == "更正公告：本版（第2版）更正安政征预〔2026〕36号（第1版）")
        // A draft correction is still a draft: it must not be posted.
        #expect(PosterMark.of(version(2, .draft, number: "y"), previous: v1) == .draft(reference: "ntc_mark/v2"))
        var withdrawn = v2
        withdrawn.state = .withdrawn
        withdrawn.withdrawnAt = Self.t0.addingTimeInterval(86_400 * 3 + 3_600 * 15) // 12-05 01:00 in Shanghai
        #expect(PosterMark.of(withdrawn, previous: v1)?.text == "撤回公告：本公告已于2026年12月5日撤回，原公告内容作废")
    }
}
