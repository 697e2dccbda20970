import GonggaoCore

/// Text forms of projects and parcels.
enum ProjectText {
    static func list(_ projects: [Project]) -> [String] {
        guard !projects.isEmpty else { return ["no projects (import one with 'gonggao project import FILE --as USER')"] }
        var table = Table("KEY", "COUNTY", "PARCELS", "AREA (亩)", "NAME")
        for p in projects {
            table.add(p.key, "\(p.county.code) \(p.county.name)", "\(p.parcels.count)", Area.format(p.totalAreaMu), p.name)
        }
        return table.lines
    }

    static func show(_ p: Project) -> [String] {
        var lines = [
            "project \(p.key)  \(p.name)",
            "  county     \(p.county.code) \(p.county.name)\(p.county.city.map { " (\($0))" } ?? "")",
            "  township   \(p.township)",
            "  purpose    \(p.purpose)",
            "  area       \(Area.format(p.totalAreaMu)) 亩 (\(Int(p.totalAreaM2.rounded())) m²)",
        ]
        if let authority = p.approvalAuthority { lines.append("  approval   \(authority)") }
        lines.append("  parcels    \(p.parcels.count)")
        for parcel in p.parcels {
            lines.append("    \(parcel.key)  \(parcel.displayName)")
            lines.append("      \(parcel.village)\(parcel.villageCode.map { " (\($0))" } ?? "") · \(parcel.owner)")
            lines.append("      \(Area.format(parcel.areaMu)) 亩 (\(Int(parcel.areaM2.rounded())) m²): "
                + parcel.landUse.map { "\($0.code) \($0.name) \(Area.format($0.areaMu))" }.joined(separator: ", "))
            lines.append("      survey: \(parcel.survey.dwellings) dwellings; \(parcel.survey.attachments); \(parcel.survey.crops)")
        }
        return lines
    }
}
