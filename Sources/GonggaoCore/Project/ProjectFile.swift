/// The import format of a project: `{ "project": {...}, "parcels": [...] }`.
///
/// It is the shape of `../shared/samples/anji-meixi-2026-37.json`; other top-level keys of that
/// sample (`notices`, `channels`, `_about`) are ignored. County and township given once on the
/// project are copied to every parcel that does not name its own.
public struct ProjectFile: Decodable, Sendable {
    public let project: Project

    struct Header: Decodable {
        let key: String
        let name: String
        let county: County
        let township: String
        let purpose: String
        let approvalAuthority: String?
        let totalAreaMu: Double
        let totalAreaM2: Double
    }

    struct ParcelEntry: Decodable {
        let key: String
        let displayName: String
        let countyCode: String?
        let countyName: String?
        let township: String?
        let village: String
        let villageCode: String?
        let owner: String
        let areaMu: Double
        let areaM2: Double
        let landUse: [LandUseLine]
        let boundary: GeoJSONPolygon
        let survey: SurveySummary
    }

    enum Keys: String, CodingKey { case project, parcels }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let h = try c.decode(Header.self, forKey: .project)
        let entries = try c.decode([ParcelEntry].self, forKey: .parcels)
        let parcels = entries.map { e in
            Parcel(key: e.key, displayName: e.displayName, countyCode: e.countyCode ?? h.county.code,
                   countyName: e.countyName ?? h.county.name, township: e.township ?? h.township,
                   village: e.village, villageCode: e.villageCode, owner: e.owner, areaMu: e.areaMu,
                   areaM2: e.areaM2, landUse: e.landUse, boundary: e.boundary, survey: e.survey)
        }
        project = Project(key: h.key, name: h.name, county: h.county, township: h.township, purpose: h.purpose,
                          approvalAuthority: h.approvalAuthority, totalAreaMu: h.totalAreaMu,
                          totalAreaM2: h.totalAreaM2, parcels: parcels)
    }
}
