import Foundation
import GonggaoCore

@testable import GonggaoPoster

/// The sample pre-announcement of 安吉县梅溪镇 2026-37 (as in ../shared/samples), built in code.
enum Fixtures {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func templatePath(_ name: String) -> String {
        repoRoot.appendingPathComponent("Templates/posters/\(name).json").path
    }

    static func template(_ name: String) throws -> PosterTemplate {
        try PosterTemplate.load(
            json: Data(contentsOf: URL(fileURLWithPath: templatePath(name))),
            source: "Templates/posters/\(name).json")
    }

    /// Renderers are costly to create (font loading): one per template for the whole run.
    nonisolated(unsafe) private static var renderers: [String: PosterRenderer] = [:]
    private static let lock = NSLock()

    static func renderer(_ name: String) throws -> PosterRenderer {
        lock.lock()
        defer { lock.unlock() }
        if let renderer = renderers[name] { return renderer }
        let renderer = try PosterRenderer(template: template(name))
        renderers[name] = renderer
        return renderer
    }

    static func parcel(
        _ key: String, village: String, areaMu: Double, lon: Double, lat: Double,
        landUse: [LandUseLine]? = nil
    ) -> Parcel {
        let d = 0.0015
        return Parcel(
            key: key, displayName: "安吉县梅溪镇\(key.dropFirst(7))地块", countyCode: "330523", countyName: "安吉县",
            township: "梅溪镇", village: village, villageCode: nil, owner: "安吉县梅溪镇\(village)股份经济合作社",
            areaMu: areaMu, areaM2: (areaMu * Area.squareMetresPerMu).rounded(),
            landUse: landUse ?? [LandUseLine(code: "0101", name: "水田", areaMu: areaMu)],
            boundary: GeoJSONPolygon(coordinates: [
                [
                    [lon, lat], [lon + d, lat + 0.0001], [lon + d + 0.0001, lat + d * 0.8],
                    [lon + 0.0001, lat + d * 0.85], [lon, lat],
                ]
            ]),
            survey: SurveySummary(dwellings: 0, attachments: "", crops: ""))
    }

    static let sampleParcels: [Parcel] = [
        parcel(
            "330523-2026-37-1", village: "红庙村", areaMu: 32.15, lon: 119.7800, lat: 30.7600,
            landUse: [
                LandUseLine(code: "0101", name: "水田", areaMu: 18.20),
                LandUseLine(code: "0103", name: "旱地", areaMu: 9.40),
                LandUseLine(code: "1006", name: "农村道路", areaMu: 1.05),
                LandUseLine(code: "1104", name: "坑塘水面", areaMu: 3.50),
            ]),
        parcel(
            "330523-2026-37-2", village: "荆湾村", areaMu: 26.22, lon: 119.7830, lat: 30.7605,
            landUse: [
                LandUseLine(code: "0201", name: "果园", areaMu: 12.00),
                LandUseLine(code: "0301", name: "乔木林地", areaMu: 10.72),
                LandUseLine(code: "0702", name: "农村宅基地", areaMu: 3.50),
            ]),
    ]

    static func project(parcels: [Parcel] = sampleParcels) -> Project {
        let mu = parcels.reduce(0) { $0 + $1.areaMu }
        return Project(
            key: "330523-2026-37", name: "安吉县梅溪镇2026年度第37批次城镇建设用地",
            county: County(code: "330523", name: "安吉县", city: "湖州市", province: "浙江省"),
            township: "梅溪镇", purpose: "梅溪镇产业园区基础设施建设（成片开发）", approvalAuthority: "浙江省人民政府",
            totalAreaMu: mu, totalAreaM2: parcels.reduce(0) { $0 + $1.areaM2 }, parcels: parcels)
    }

    /// A project of `count` parcels laid out in a grid.
    static func bigProject(count: Int) -> Project {
        let villages = ["红庙村", "荆湾村", "梅溪村", "晓墅村"]
        var parcels: [Parcel] = []
        for i in 1...count {
            let lon: Double = 119.78 + Double((i - 1) % 20) * 0.002
            let lat: Double = 30.76 + Double((i - 1) / 20) * 0.002
            let mu: Double = 1.5 + Double(i % 7)
            parcels.append(parcel("330523-2026-37-\(i)", village: villages[i % 4], areaMu: mu, lon: lon, lat: lat))
        }
        return project(parcels: parcels)
    }

    static let sampleBody = [
        "根据《中华人民共和国土地管理法》第四十七条和《中华人民共和国土地管理法实施条例》第二十六条的规定，因安吉县梅溪镇2026年度第37批次城镇建设用地需要，我县拟征收梅溪镇红庙村、荆湾村部分集体土地。现将有关事项预公告如下：",
        "一、征收范围：梅溪镇红庙村、荆湾村部分集体土地，涉及地块2宗，总面积约58.37亩（38913平方米），具体范围以附图及扫描二维码所示地块为准。",
        "二、征收目的：用于梅溪镇产业园区基础设施建设，属于在国土空间规划确定的城镇建设用地范围内，经省级以上人民政府批准由县级以上地方人民政府组织实施的成片开发建设需要用地。",
        "三、土地现状调查安排：自本预公告发布之日起，由梅溪镇人民政府会同安吉县自然资源和规划局开展土地现状调查，调查内容包括土地的位置、权属、地类、面积，以及农村村民住宅、其他地上附着物和青苗等的权属、种类、数量等情况。请被征收土地的所有权人、使用权人予以配合。",
        "四、自本预公告发布之日起，任何单位和个人不得在拟征收范围内抢栽抢建；违反规定抢栽抢建的，对抢栽抢建部分不予补偿。",
        "五、本预公告张贴期限不少于十个工作日。如有疑问，请与梅溪镇人民政府联系，联系电话：0572-0000000。",
    ]

    static func content(
        title: String = "安吉县人民政府征收土地预公告", body: [String] = sampleBody,
        parcels: [String] = sampleParcels.map(\.key)
    ) -> NoticeContent {
        NoticeContent(
            project: "330523-2026-37", kind: .preAnnouncement, title: title, issuer: "安吉县人民政府",
            documentNumber: "安政征预〔2026〕37号", dateWritten: CivilDate(year: 2026, month: 12, day: 1)!,
            parcels: parcels, body: body)
    }

    static let url = "https://gg.anji.gov.cn/p/330523-2026-37"
    /// 2026-12-01 10:00 in Asia/Shanghai.
    static let approvedAt = Date(timeIntervalSince1970: 1_796_090_400)

    static func input(
        content: NoticeContent = content(), project: Project = project(), url: String = url,
        allowMissingGlyphs: Bool = false, seal: SealImage? = nil
    ) -> PosterInput {
        PosterInput(
            noticeID: "ntc_3k9v0q7m2xwe", version: 2, content: content, contentHash: content.contentHash,
            project: project, qrURL: url, postingPeriod: "本公告张贴期限不少于十个工作日。", seal: seal,
            approvedAt: approvedAt, allowMissingGlyphs: allowMissingGlyphs)
    }

    /// A scratch directory for one test.
    static func scratch(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gonggao-poster-tests/\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
