import GonggaoCore

/// One line of the project list.
struct ProjectSummary: Encodable, Sendable {
    let key: String
    let name: String
    let county: County
    let township: String
    let parcels: [String]
    let totalAreaMu: Double
    let parcelPage: String

    init(_ p: Project, base: String) {
        key = p.key
        name = p.name
        county = p.county
        township = p.township
        parcels = p.parcels.map(\.key)
        totalAreaMu = p.totalAreaMu
        parcelPage = ParcelLinks.pageURL(base: base, key: p.key)
    }
}

/// A whole project, survey households in full (officers only), with each parcel's public page.
struct ProjectDetail: Encodable, Sendable {
    let project: Project
    let parcelPages: [String: String]

    init(_ p: Project, base: String) {
        project = p
        var pages = [p.key: ParcelLinks.pageURL(base: base, key: p.key)]
        for parcel in p.parcels { pages[parcel.key] = ParcelLinks.pageURL(base: base, key: parcel.key) }
        parcelPages = pages
    }
}
