import Foundation
import GonggaoCore

/// The sample project of `../shared/samples/anji-meixi-2026-37.json`, its two notices, users and
/// channels, built in Swift so tests never depend on files outside the repository.
public enum Fixtures {
    // MARK: time

    /// 2026-12-01T02:00:00Z (10:00 in Shanghai): every test clock starts here, never at today's date.
    public static let t0 = Date(timeIntervalSince1970: 1_796_090_400)

    // MARK: users and channels

    public static let users = UserDirectory([
        User(name: "alice", displayName: "起草人甲", roles: [.drafter]),
        User(name: "erin", displayName: "起草人乙", roles: [.drafter]),
        User(name: "bob", displayName: "审批人甲", roles: [.approver]),
        User(name: "carol", displayName: "审批人乙", roles: [.approver]),
        // Both roles: only the four-eyes rule stops dora approving her own drafts.
        User(name: "dora", displayName: "科长", roles: [.drafter, .approver]),
        User(name: "root", displayName: "管理员", roles: [.admin]),
        User(name: "vera", displayName: "访客", roles: [.viewer]),
    ])

    /// The four channels of the sample, in config order.
    public static let channels = ["print", "provincial-portal", "county-column", "mobile-platform"]
    /// Every channel takes a withdrawal: the portals take the notice down, print prints a 撤回公告.
    public static let withdrawChannels = ["print", "provincial-portal", "county-column", "mobile-platform"]

    // MARK: the sample project

    public static let projectKey = "330523-2026-37"
    public static let parcel1 = "330523-2026-37-1"
    public static let parcel2 = "330523-2026-37-2"

    /// The sample project exactly as `ProjectFile` decodes the shared sample.
    public static func sampleProject() -> Project {
        let county = County(code: "330523", name: "安吉县", city: "湖州市", province: "浙江省")
        let p1 = Parcel(
            key: parcel1, displayName: "安吉县梅溪镇2026-37-1地块", countyCode: "330523", countyName: "安吉县",
            township: "梅溪镇", village: "红庙村", villageCode: "330523105201", owner: "安吉县梅溪镇红庙村股份经济合作社",
            areaMu: 32.15, areaM2: 21433,
            landUse: [
                LandUseLine(code: "0101", name: "水田", areaMu: 18.20),
                LandUseLine(code: "0103", name: "旱地", areaMu: 9.40),
                LandUseLine(code: "1006", name: "农村道路", areaMu: 1.05),
                LandUseLine(code: "1104", name: "坑塘水面", areaMu: 3.50),
            ],
            boundary: GeoJSONPolygon(coordinates: [
                [
                    [119.7800, 30.7600], [119.7816, 30.7601], [119.7817, 30.7613],
                    [119.7801, 30.7614], [119.7800, 30.7600],
                ]
            ]),
            survey: SurveySummary(dwellings: 0, attachments: "灌溉渠 120 米，机耕路 1 条", crops: "水稻（已收割）、油菜青苗约 9 亩"))
        let p2 = Parcel(
            key: parcel2, displayName: "安吉县梅溪镇2026-37-2地块", countyCode: "330523", countyName: "安吉县",
            township: "梅溪镇", village: "荆湾村", villageCode: "330523105203", owner: "安吉县梅溪镇荆湾村股份经济合作社",
            areaMu: 26.22, areaM2: 17480,
            landUse: [
                LandUseLine(code: "0201", name: "果园", areaMu: 12.00),
                LandUseLine(code: "0301", name: "乔木林地", areaMu: 10.72),
                LandUseLine(code: "0702", name: "农村宅基地", areaMu: 3.50),
            ],
            boundary: GeoJSONPolygon(coordinates: [
                [
                    [119.7830, 30.7605], [119.7844, 30.7606], [119.7845, 30.7617],
                    [119.7831, 30.7618], [119.7830, 30.7605],
                ]
            ]),
            survey: SurveySummary(dwellings: 3, attachments: "围墙 85 米，水井 2 口", crops: "白茶树约 12 亩"))
        return Project(
            key: projectKey, name: "安吉县梅溪镇2026年度第37批次城镇建设用地", county: county, township: "梅溪镇",
            purpose: "梅溪镇产业园区基础设施建设（成片开发）", approvalAuthority: "浙江省人民政府",
            totalAreaMu: 58.37, totalAreaM2: 38913, parcels: [p1, p2])
    }

    /// A second, valid project with its own parcels (for filters and parcel-ownership conflicts).
    public static func otherProject(
        key: String = "330782-2026-5", parcelKeys: [String] = ["330782-2026-5-1"]
    ) -> Project {
        let parcels = parcelKeys.map { k in
            Parcel(
                key: k, displayName: "义乌市\(k)地块", countyCode: "330782", countyName: "义乌市", township: "佛堂镇",
                village: "塔下洲村", villageCode: nil, owner: "塔下洲村股份经济合作社", areaMu: 15, areaM2: 10_000,
                landUse: [LandUseLine(code: "0103", name: "旱地", areaMu: 15)],
                boundary: GeoJSONPolygon(coordinates: [
                    [[120.0, 29.2], [120.01, 29.2], [120.01, 29.21], [120.0, 29.2]]
                ]),
                survey: SurveySummary(dwellings: 0, attachments: "无", crops: "无"))
        }
        return Project(
            key: key, name: "义乌市佛堂镇2026年度第5批次", county: County(code: "330782", name: "义乌市"),
            township: "佛堂镇", purpose: "道路建设", approvalAuthority: nil,
            totalAreaMu: 15 * Double(parcels.count), totalAreaM2: 10_000 * Double(parcels.count), parcels: parcels)
    }

    // MARK: notices

    /// The sample's pre-announcement (预公告).
    public static func preAnnouncement() -> NoticeContent {
        NoticeContent(
            project: projectKey, kind: .preAnnouncement, title: "安吉县人民政府征收土地预公告", issuer: "安吉县人民政府",
            documentNumber: "安政征预〔2026〕37号", dateWritten: CivilDate(year: 2026, month: 12, day: 1)!,
            parcels: [parcel1, parcel2],
            body: [
                "根据《中华人民共和国土地管理法》第四十七条和《中华人民共和国土地管理法实施条例》第二十六条的规定，因安吉县梅溪镇2026年度第37批次城镇建设用地需要，我县拟征收梅溪镇红庙村、荆湾村部分集体土地。现将有关事项预公告如下：",
                "一、征收范围：梅溪镇红庙村、荆湾村部分集体土地，涉及地块2宗，总面积约58.37亩（38913平方米），具体范围以附图及扫描二维码所示地块为准。",
                "二、征收目的：用于梅溪镇产业园区基础设施建设，属于在国土空间规划确定的城镇建设用地范围内，经省级以上人民政府批准由县级以上地方人民政府组织实施的成片开发建设需要用地。",
                "三、土地现状调查安排：自本预公告发布之日起，由梅溪镇人民政府会同安吉县自然资源和规划局开展土地现状调查，调查内容包括土地的位置、权属、地类、面积，以及农村村民住宅、其他地上附着物和青苗等的权属、种类、数量等情况。请被征收土地的所有权人、使用权人予以配合。",
                "四、自本预公告发布之日起，任何单位和个人不得在拟征收范围内抢栽抢建；违反规定抢栽抢建的，对抢栽抢建部分不予补偿。",
                "五、本预公告张贴期限不少于十个工作日。如有疑问，请与梅溪镇人民政府联系，联系电话：0572-0000000。",
            ])
    }

    /// The sample's compensation plan (征地补偿安置方案公告).
    public static func compensationPlan() -> NoticeContent {
        NoticeContent(
            project: projectKey, kind: .compensationPlan, title: "安吉县人民政府征地补偿安置方案公告", issuer: "安吉县人民政府",
            documentNumber: "安政征方〔2026〕37号", dateWritten: CivilDate(year: 2026, month: 12, day: 28)!,
            parcels: [parcel1, parcel2],
            body: [
                "根据《中华人民共和国土地管理法》第四十七条、《中华人民共和国土地管理法实施条例》第二十七条、第二十八条的规定，现将安吉县梅溪镇2026年度第37批次城镇建设用地征地补偿安置方案公告如下：",
                "一、征收范围及土地现状：梅溪镇红庙村、荆湾村集体土地共58.37亩，其中水田18.20亩、旱地9.40亩、果园12.00亩、乔木林地10.72亩、农村宅基地3.50亩、农村道路1.05亩、坑塘水面3.50亩。",
                "二、征收目的：梅溪镇产业园区基础设施建设。",
                "三、补偿方式和标准：土地补偿费和安置补助费按我县现行区片综合地价标准执行；地上附着物和青苗补偿费按《安吉县征收集体所有土地地上附着物和青苗补偿标准》执行；农村村民住宅按照先补偿后搬迁、居住条件有改善的原则，采取货币补偿或者重新安排宅基地建房等方式予以补偿。",
                "四、安置对象和安置方式：被征地农村集体经济组织成员中符合条件的人员纳入被征地农民养老保障；社会保障费用按规定足额预存。",
                "五、补偿登记：被征收土地的所有权人、使用权人应于本公告发布之日起十五日内，持不动产权属证明材料到梅溪镇人民政府办理补偿登记。",
                "六、异议反馈：被征地农村集体经济组织成员对本方案有异议的，可在公告期内向梅溪镇人民政府书面提出；过半数成员认为本方案不符合法律、法规规定的，县人民政府将组织听证。",
                "本公告期限不少于三十日。联系电话：0572-0000000。",
            ])
    }

    /// A valid notice of any kind on the sample project, with the fields its kind requires.
    public static func content(_ kind: NoticeKind) -> NoticeContent {
        var c = preAnnouncement()
        c.kind = kind
        c.title = "安吉县人民政府\(kind.chineseName)"
        c.documentNumber = "安政征〔2026〕\(37 + NoticeKind.allCases.firstIndex(of: kind)!)号"
        if kind.requiresApproval {
            c.approval = ApprovalReference(
                authority: "浙江省人民政府", documentNumber: "浙政土〔2027〕12号",
                date: CivilDate(year: 2027, month: 2, day: 10)!)
        }
        if kind == .hearing {
            c.hearing = HearingDetails(date: CivilDate(year: 2027, month: 1, day: 20)!, place: "梅溪镇人民政府三楼会议室")
        }
        return c
    }

    // MARK: the shared sample file

    /// `../shared/samples/anji-meixi-2026-37.json` beside the repository, when that folder exists.
    public static func sharedSampleURL() -> URL? {
        let url = repositoryRoot().deletingLastPathComponent().appendingPathComponent(
            "shared/samples/anji-meixi-2026-37.json")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// The repository's root folder (the one holding Package.swift).
    public static func repositoryRoot() -> URL {
        // #filePath here is this file: Tests/TestSupport/Fixtures.swift.
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }
}
