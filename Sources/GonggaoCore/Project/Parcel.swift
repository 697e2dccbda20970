/// One parcel of land to be expropriated (地块).
public struct Parcel: Codable, Equatable, Sendable {
    /// ASCII key used in URLs and QR codes, e.g. `330523-2026-37-1`.
    public var key: String
    /// Display name, e.g. 安吉县梅溪镇2026-37-1地块.
    public var displayName: String
    public var countyCode: String
    public var countyName: String
    public var township: String
    public var village: String
    /// 12-digit village-level location code, when known.
    public var villageCode: String?
    public var owner: String
    public var areaMu: Double
    public var areaM2: Double
    /// GB/T 21010-2017 land-use lines.
    public var landUse: [LandUseLine]
    public var boundary: GeoJSONPolygon
    public var survey: SurveySummary

    public init(key: String, displayName: String, countyCode: String, countyName: String, township: String,
                village: String, villageCode: String?, owner: String, areaMu: Double, areaM2: Double,
                landUse: [LandUseLine], boundary: GeoJSONPolygon, survey: SurveySummary) {
        self.key = key
        self.displayName = displayName
        self.countyCode = countyCode
        self.countyName = countyName
        self.township = township
        self.village = village
        self.villageCode = villageCode
        self.owner = owner
        self.areaMu = areaMu
        self.areaM2 = areaM2
        self.landUse = landUse
        self.boundary = boundary
        self.survey = survey
    }
}

/// One GB/T 21010 land-use class within a parcel, e.g. 0101 水田 18.20 亩.
public struct LandUseLine: Codable, Equatable, Sendable {
    public var code: String
    public var name: String
    public var areaMu: Double

    public init(code: String, name: String, areaMu: Double) {
        self.code = code
        self.name = name
        self.areaMu = areaMu
    }
}

/// The current-status survey of a parcel (土地现状调查).
public struct SurveySummary: Codable, Equatable, Sendable {
    public var dwellings: Int
    public var attachments: String
    public var crops: String
    /// The households the survey recorded on the parcel; nil or empty when none (collective land only).
    public var households: [SurveyHousehold]?

    public init(dwellings: Int, attachments: String, crops: String, households: [SurveyHousehold]? = nil) {
        self.dwellings = dwellings
        self.attachments = attachments
        self.crops = crops
        self.households = households
    }
}

/// One household of a parcel's survey: its head (a personal name) and what was recorded for it.
///
/// - Important: `name` is personal data. Officers see it in full; public pages mask it (王*春).
public struct SurveyHousehold: Codable, Equatable, Sendable {
    /// Head of household, e.g. 王永春.
    public var name: String
    /// Floor area of the household's dwelling in m², when it has one on the parcel.
    public var dwellingAreaM2: Double?
    /// What else was recorded for the household, e.g. 围墙 20 米，水井 1 口.
    public var items: String?

    public init(name: String, dwellingAreaM2: Double? = nil, items: String? = nil) {
        self.name = name
        self.dwellingAreaM2 = dwellingAreaM2
        self.items = items
    }
}

/// A GeoJSON Polygon: rings of [longitude, latitude] positions, the first ring the outer boundary.
public struct GeoJSONPolygon: Codable, Equatable, Sendable {
    public var type: String
    public var coordinates: [[[Double]]]

    public init(coordinates: [[[Double]]]) {
        self.type = "Polygon"
        self.coordinates = coordinates
    }
}

/// Area units: 1 亩 = 10,000/15 m².
public enum Area {
    public static let squareMetresPerMu = 10_000.0 / 15.0
}
