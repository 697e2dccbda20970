import Foundation
import GonggaoCore
@testable import GonggaoService
import HTTPTestSupport
import Testing
import TestSupport

@Suite(.serialized) struct ParcelPageTests {
    @Test func titlesAndTextAreEscaped() async throws {
        try await ServiceHarness.with { h in
            try await h.importProject { $0.parcels[0].survey.crops = "<img src=x onerror=alert(2)>" }
            var content = Fixtures.preAnnouncement()
            content.title = "<script>alert(1)</script>"
            content.body[0] = "\"quoted\" & 'single' <b>bold</b>"
            _ = try await h.publish(content)
            let page = try await h.call("GET", "/p/\(Fixtures.parcel1)")
            #expect(page.status == 200)
            #expect(page.header("Content-Type") == "text/html; charset=utf-8")
            #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!page.text.contains("<script"))
            #expect(!page.text.contains("<img"))
            #expect(page.text.contains("&quot;quoted&quot; &amp; &#39;single&#39; &lt;b&gt;bold&lt;/b&gt;"))
            #expect(page.header("Content-Security-Policy")?.contains("default-src 'none'") == true)
            // No external assets: no src= at all, and every href is a local path or an in-page anchor.
            #expect(!page.text.contains("src=\""))
            #expect(!page.text.contains("href=\"http"))
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func showsParcelFactsMapAndEveryStageInOrder(backend: StoreBackend) async throws {
        try await ServiceHarness.with(backend: backend) { h in
            try await h.importProject()
            // Published out of order: the page still lists the stages in the law's order.
            let plan = try await h.publish(Fixtures.compensationPlan(), overrideGate: "测试：方案先于预公告发布")
            let pre = try await h.publish(Fixtures.preAnnouncement())
            _ = try await h.draft(Fixtures.content(.expropriation))  // a draft is never shown
            let page = try await h.call("GET", "/p/\(Fixtures.parcel1)").text
            #expect(page.contains("安吉县梅溪镇2026-37-1地块"))
            #expect(page.contains("浙江省湖州市安吉县梅溪镇红庙村"))
            #expect(page.contains("<svg class=\"map\""))
            #expect(page.contains("<path d=\"M"))
            #expect(page.contains("32.15 亩（21433 平方米）"))
            #expect(page.contains("<td>0101</td><td>水田</td><td class=\"num\">18.20</td>"))
            #expect(page.contains("灌溉渠 120 米"))
            let preHeading = try #require(page.range(of: "<h3 id=\"stage-pre-announcement\">"))
            let planHeading = try #require(page.range(of: "<h3 id=\"stage-compensation-plan\">"))
            #expect(preHeading.lowerBound < planHeading.lowerBound)
            #expect(!page.contains("stage-expropriation"))
            #expect(page.contains("当前阶段：<strong>征地补偿安置方案公告</strong>"))
            #expect(page.contains("安政征预〔2026〕37号"))
            #expect(page.contains("本公告张贴期限不少于十个工作日"))
            #expect(page.contains(Fixtures.preAnnouncement().body[3]))
            // Each version's verification code, as the poster prints it, and a link to the poster.
            for id in [pre, plan] {
                let v = try await h.store.read { tx in try tx.noticeVersion(id, version: 1)! }
                #expect(page.contains(VerificationCode.of(contentHash: v.contentHash)!))
                #expect(page.contains("/p/\(Fixtures.parcel1)/notices/\(id)/versions/1/poster.pdf"))
            }
            let poster = try await h.call("GET", "/p/\(Fixtures.parcel1)/notices/\(pre)/versions/1/poster.pdf")
            #expect(poster.status == 200)
            #expect(poster.header("Content-Type") == "application/pdf")

            let project = try await h.call("GET", "/p/\(Fixtures.projectKey)")
            #expect(project.status == 200)
            #expect(project.text.contains("安吉县梅溪镇2026年度第37批次城镇建设用地"))
            #expect(project.text.contains("href=\"/p/\(Fixtures.parcel2)\""))
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func supersededAndWithdrawnVersionsAreLabelled(backend: StoreBackend) async throws {
        try await ServiceHarness.with(backend: backend) { h in
            try await h.importProject()
            let id = try await h.publish(Fixtures.preAnnouncement())
            var corrected = Fixtures.preAnnouncement()
            corrected.body[5] = "五、本预公告张贴期限不少于十个工作日。联系电话：0572-1111111。"
            let c = try await h.call("POST", "/api/notices/\(id)/correct", as: "alice", json: try ProjectJSON.object(corrected))
            #expect(c.status == 201)
            let draftPage = try await h.call("GET", "/p/\(Fixtures.parcel1)").text
            #expect(!draftPage.contains("0572-1111111"))  // the correction is still a draft
            _ = try await h.call("POST", "/api/notices/\(id)/submit", as: "alice")
            #expect(try await h.call("POST", "/api/notices/\(id)/approve", as: "bob").status == 200)

            let page = try await h.call("GET", "/p/\(Fixtures.parcel1)").text
            #expect(page.contains("0572-1111111"))
            #expect(page.contains("已更正（superseded）"))
            #expect(page.contains("已由第2版更正"))
            #expect(page.contains("现行有效"))
            let current = try #require(page.range(of: "0572-1111111"))
            let old = try #require(page.range(of: "0572-0000000"))
            #expect(current.lowerBound < old.lowerBound)  // newest first

            let plan = try await h.publish(Fixtures.compensationPlan(), overrideGate: "测试：预公告张贴期未满")
            #expect(try await h.call("POST", "/api/notices/\(plan)/withdraw", as: "carol", json: ["reason": "方案调整"]).status == 200)
            let after = try await h.call("GET", "/p/\(Fixtures.parcel1)").text
            #expect(after.contains("已撤回（withdrawn）"))
            #expect(after.contains("原因：方案调整"))
            // The withdrawn plan is no longer the current stage.
            #expect(after.contains("当前阶段：<strong>征收土地预公告</strong>"))
        }
    }

    @Test func householdNamesAreMaskedPubliclyButNotForOfficers() async throws {
        try await ServiceHarness.with { h in
            try await h.importProject { p in
                p.parcels[1].survey.households = [
                    SurveyHousehold(name: "王永春", dwellingAreaM2: 186.5, items: "围墙 20 米（王永春户）"),
                    SurveyHousehold(name: "李梅", items: "水井 1 口"),
                    SurveyHousehold(name: "欧阳永春"),
                ]
                p.parcels[1].survey.attachments = "围墙 85 米，水井 2 口（李梅户）"
            }
            let page = try await h.call("GET", "/p/\(Fixtures.parcel2)").text
            #expect(page.contains("王*春"))
            #expect(page.contains("李*"))
            #expect(page.contains("欧**春"))
            #expect(page.contains("186.50"))
            for name in ["王永春", "李梅", "欧阳永春"] { #expect(!page.contains(name), "\(name) leaked") }
            let api = try await h.call("GET", "/api/projects/\(Fixtures.projectKey)", as: "vera").text
            #expect(api.contains("王永春") && api.contains("李梅") && api.contains("欧阳永春"))
        }
        #expect(NameMask.mask("王永春") == "王*春")
        #expect(NameMask.mask("王春") == "王*")
        #expect(NameMask.mask("欧阳永春") == "欧**春")
        #expect(NameMask.mask("王") == "*")
    }

    @Test(arguments: StoreBackend.allCases)
    func etagAndCacheControl(backend: StoreBackend) async throws {
        try await ServiceHarness.with(backend: backend) { h in
            try await h.importProject()
            _ = try await h.publish(Fixtures.preAnnouncement())
            let first = try await h.call("GET", "/p/\(Fixtures.parcel1)")
            let etag = try #require(first.header("ETag"))
            #expect(first.header("Cache-Control") == "public, max-age=60")
            let again = try await h.call("GET", "/p/\(Fixtures.parcel1)", headers: [("If-None-Match", etag)])
            #expect(again.status == 304)
            #expect(again.body.isEmpty)
            #expect(again.header("ETag") == etag)
            _ = try await h.publish(Fixtures.compensationPlan(), overrideGate: "测试：预公告张贴期未满")
            let changed = try await h.call("GET", "/p/\(Fixtures.parcel1)", headers: [("If-None-Match", etag)])
            #expect(changed.status == 200)
            #expect(changed.header("ETag") != etag)
        }
    }

    @Test func unknownKeysGetAFriendlyPage() async throws {
        try await ServiceHarness.with { h in
            try await h.importProject()
            for key in ["330523-2026-99", "%3Cscript%3E", "a--b"] {
                let r = try await h.call("GET", "/p/\(key)")
                #expect(r.status == 404)
                #expect(r.header("Content-Type") == "text/html; charset=utf-8")
                #expect(r.text.contains("未找到该地块"))
                #expect(!r.text.contains("<script>"))
            }
            let wrongPoster = try await h.call("GET", "/p/\(Fixtures.parcel1)/notices/ntc_x/versions/1/poster.pdf")
            #expect(wrongPoster.status == 404)
        }
    }

    @Test func postersOfOtherParcelsOrDraftsAreNotPublic() async throws {
        try await ServiceHarness.with { h in
            try await h.importProject()
            let other = try await h.call("POST", "/api/projects", as: "alice", json: try ProjectJSON.file(Fixtures.otherProject()))
            #expect(other.status == 201)
            var onlyOne = Fixtures.preAnnouncement()
            onlyOne.parcels = [Fixtures.parcel1]
            let id = try await h.publish(onlyOne)
            #expect(try await h.call("GET", "/p/\(Fixtures.parcel1)/notices/\(id)/versions/1/poster.pdf").status == 200)
            #expect(try await h.call("GET", "/p/\(Fixtures.projectKey)/notices/\(id)/versions/1/poster.pdf").status == 200)
            #expect(try await h.call("GET", "/p/\(Fixtures.parcel2)/notices/\(id)/versions/1/poster.pdf").status == 404)
            #expect(try await h.call("GET", "/p/330782-2026-5/notices/\(id)/versions/1/poster.pdf").status == 404)
            let draft = try await h.draft(onlyOne)
            #expect(try await h.call("GET", "/p/\(Fixtures.parcel1)/notices/\(draft)/versions/1/poster.pdf").status == 404)
            // The parcel-2 page does not list a notice that does not cover parcel 2.
            #expect(!(try await h.call("GET", "/p/\(Fixtures.parcel2)").text.contains(id)))
        }
    }
}

/// The posting period and the next stage's earliest date on the public page.
@Suite(.serialized) struct ParcelPagePostingTests {
    @Test func showsThePostingPeriodAndTheNextStagesEarliestDate() async throws {
        try await ServiceHarness.with { h in
            try await h.importProject()
            let pre = try await h.publish(Fixtures.preAnnouncement())  // 2026-12-01
            let before = try await h.call("GET", "/p/\(Fixtures.parcel1)").text
            #expect(before.contains("张贴地点：梅溪镇、红庙村、荆湾村（已确认张贴 0/3）"), "\(before)")
            #expect(before.contains("张贴期自全部地点确认张贴之次日起算"))
            #expect(before.contains("下一阶段（征地补偿安置方案公告）最早日期：待张贴期起算后确定"))
            for place in ["梅溪镇", "红庙村", "荆湾村"] {
                _ = try await h.call("POST", "/api/notices/\(pre)/postings", as: "polly", json: ["place": place, "board": "<b>栏</b>"])
            }
            let page = try await h.call("GET", "/p/\(Fixtures.parcel1)").text
            #expect(page.contains("已确认张贴 3/3"))
            #expect(page.contains("张贴期：2026年12月2日 至 2026年12月15日"))
            #expect(page.contains("下一阶段（征地补偿安置方案公告）最早日期：2026年12月16日"))
            #expect(!page.contains("暂定"))
            #expect(!page.contains("<b>"))
        }
    }

    @Test func aPeriodIntoAYearWithoutACalendarIsMarkedProvisional() async throws {
        // 2026-12-24: ten working days reach into 2027, which the shipped calendars lack.
        try await ServiceHarness.with(clockStart: Fixtures.t0.addingTimeInterval(23 * 86_400)) { h in
            try await h.importProject()
            let pre = try await h.publish(Fixtures.preAnnouncement())
            for place in ["梅溪镇", "红庙村", "荆湾村"] {
                _ = try await h.call("POST", "/api/notices/\(pre)/postings", as: "polly", json: ["place": place, "board": "公告栏"])
            }
            let page = try await h.call("GET", "/p/\(Fixtures.parcel1)").text
            #expect(page.contains("张贴期：2026年12月25日 至 2027年1月7日（暂定）"), "\(page)")
            #expect(page.contains("最早日期：2027年1月8日（暂定）"))
        }
    }
}
