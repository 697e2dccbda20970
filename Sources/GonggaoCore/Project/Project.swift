/// An expropriation project (one approval batch, 批次) and its parcels.
public struct Project: Codable, Equatable, Sendable {
    /// ASCII key, e.g. `330523-2026-37`.
    public var key: String
    public var name: String
    public var county: County
    public var township: String
    public var purpose: String
    public var approvalAuthority: String?
    public var totalAreaMu: Double
    public var totalAreaM2: Double
    public var parcels: [Parcel]

    public init(key: String, name: String, county: County, township: String, purpose: String,
                approvalAuthority: String?, totalAreaMu: Double, totalAreaM2: Double, parcels: [Parcel]) {
        self.key = key
        self.name = name
        self.county = county
        self.township = township
        self.purpose = purpose
        self.approvalAuthority = approvalAuthority
        self.totalAreaMu = totalAreaMu
        self.totalAreaM2 = totalAreaM2
        self.parcels = parcels
    }

    /// The parcel with `key`, if it belongs to this project.
    public func parcel(_ key: String) -> Parcel? { parcels.first { $0.key == key } }

    /// Villages the given parcels lie in, in first-seen order.
    public func villages(of keys: [String]) -> [String] {
        var seen: [String] = []
        for key in keys {
            if let v = parcel(key)?.village, !seen.contains(v) { seen.append(v) }
        }
        return seen
    }
}

/// A county-level administrative division.
public struct County: Codable, Equatable, Sendable {
    /// 6-digit administrative division code, e.g. 330523.
    public var code: String
    public var name: String
    public var city: String?
    public var province: String?

    public init(code: String, name: String, city: String? = nil, province: String? = nil) {
        self.code = code
        self.name = name
        self.city = city
        self.province = province
    }
}
