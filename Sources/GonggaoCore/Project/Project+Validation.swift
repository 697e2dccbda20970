/// Rules every project and parcel must pass before it is stored.
extension Project {
    /// Longest parcel or project key accepted (keys travel in QR codes).
    public static let maxKeyLength = 40

    /// Checks a key is short, printable ASCII: letters, digits and hyphens.
    public static func validateKey(_ key: String, field: String) throws(ValidationError) {
        if key.isEmpty { throw ValidationError(field: field, "is required") }
        if !key.unicodeScalars.allSatisfy({ $0.isASCII }) {
            throw ValidationError(field: field, "'\(key)' is not ASCII (keys go into URLs and QR codes)")
        }
        if key.count > maxKeyLength {
            throw ValidationError(field: field, "'\(key)' is \(key.count) characters, at most \(maxKeyLength) allowed")
        }
        let allowed = key.unicodeScalars.allSatisfy { s in
            (s >= "0" && s <= "9") || (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || s == "-"
        }
        if !allowed || key.first == "-" || key.last == "-" {
            throw ValidationError(field: field, "'\(key)' may hold only letters, digits and inner hyphens")
        }
    }

    /// Validates the whole project; the error names the first bad field.
    public func validate() throws(ValidationError) {
        try Self.validateKey(key, field: "project.key")
        var v = Validator()
        v.requireText(name, "project.name", max: 200)
        v.require(county.code.count == 6 && county.code.allSatisfy { $0.isASCII && $0.isNumber },
                  "project.county.code", "'\(county.code)' is not a 6-digit division code")
        v.requireText(county.name, "project.county.name", max: 50)
        v.requireText(township, "project.township", max: 50)
        v.requireText(purpose, "project.purpose", max: 500)
        v.require(!parcels.isEmpty, "parcels", "at least one parcel is required")
        try v.check()
        var seen = Set<String>()
        for (i, parcel) in parcels.enumerated() {
            try parcel.validate(field: "parcels[\(i)]")
            if !seen.insert(parcel.key).inserted {
                throw ValidationError(field: "parcels[\(i)].key", "'\(parcel.key)' appears twice")
            }
        }
        let sumMu = parcels.reduce(0) { $0 + $1.areaMu }
        if abs(sumMu - totalAreaMu) > 0.01 * Double(parcels.count) {
            throw ValidationError(field: "project.totalAreaMu",
                                  "is \(totalAreaMu) but the parcels add up to \(Area.format(sumMu)) 亩")
        }
        try Area.checkConsistent(mu: totalAreaMu, m2: totalAreaM2, field: "project.totalAreaM2")
    }
}

extension Parcel {
    func validate(field: String) throws(ValidationError) {
        try Project.validateKey(key, field: "\(field).key")
        var v = Validator()
        v.requireText(displayName, "\(field).displayName", max: 100)
        v.requireText(village, "\(field).village", max: 50)
        v.requireText(owner, "\(field).owner", max: 100)
        v.require(areaMu > 0, "\(field).areaMu", "must be greater than 0")
        v.require(!landUse.isEmpty, "\(field).landUse", "at least one land-use line is required")
        if let code = villageCode {
            v.require(code.count == 12 && code.allSatisfy { $0.isASCII && $0.isNumber },
                      "\(field).villageCode", "'\(code)' is not a 12-digit village code")
        }
        v.require(survey.dwellings >= 0, "\(field).survey.dwellings", "must not be negative")
        for (i, household) in (survey.households ?? []).enumerated() {
            v.requireText(household.name, "\(field).survey.households[\(i)].name", max: 50)
        }
        try v.check()
        for (i, line) in landUse.enumerated() {
            let f = "\(field).landUse[\(i)]"
            if !(line.code.count == 4 && line.code.allSatisfy({ $0.isASCII && $0.isNumber })) {
                throw ValidationError(field: "\(f).code", "'\(line.code)' is not a 4-digit GB/T 21010 class")
            }
            if line.areaMu < 0 { throw ValidationError(field: "\(f).areaMu", "must not be negative") }
        }
        let sum = landUse.reduce(0) { $0 + $1.areaMu }
        if abs(sum - areaMu) > 0.011 {
            throw ValidationError(field: "\(field).landUse",
                                  "lines add up to \(Area.format(sum)) 亩 but the parcel is \(Area.format(areaMu)) 亩")
        }
        try Area.checkConsistent(mu: areaMu, m2: areaM2, field: "\(field).areaM2")
        try boundary.validate(field: "\(field).boundary")
    }
}

extension GeoJSONPolygon {
    func validate(field: String) throws(ValidationError) {
        if type != "Polygon" { throw ValidationError(field: "\(field).type", "must be \"Polygon\", not \"\(type)\"") }
        guard let ring = coordinates.first else {
            throw ValidationError(field: "\(field).coordinates", "needs an outer ring")
        }
        if ring.count < 4 {
            throw ValidationError(field: "\(field).coordinates[0]", "needs at least 4 positions, has \(ring.count)")
        }
        for (i, p) in ring.enumerated() {
            guard p.count >= 2, (-180...180).contains(p[0]), (-90...90).contains(p[1]) else {
                throw ValidationError(field: "\(field).coordinates[0][\(i)]", "is not a [longitude, latitude] position")
            }
        }
        if ring.first! != ring.last! {
            throw ValidationError(field: "\(field).coordinates[0]", "is not closed (first and last positions differ)")
        }
    }
}

extension Area {
    /// Two decimals, as areas in 亩 are written.
    public static func format(_ value: Double) -> String {
        let scaled = (value * 100).rounded()
        let whole = Int(scaled) / 100
        let frac = abs(Int(scaled) % 100)
        return "\(whole).\(frac < 10 ? "0" : "")\(frac)"
    }

    /// Areas given in both units must agree within 0.5 % (rounding of the published figures).
    static func checkConsistent(mu: Double, m2: Double, field: String) throws(ValidationError) {
        let expected = mu * squareMetresPerMu
        if m2 <= 0 || abs(m2 - expected) > max(1, expected * 0.005) {
            throw ValidationError(field: field,
                                  "\(m2) m² does not match \(format(mu)) 亩 (expected about \(Int(expected.rounded())) m²)")
        }
    }
}
