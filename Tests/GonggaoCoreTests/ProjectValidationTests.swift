import Foundation
import GonggaoCore
import TestSupport
import Testing

/// Project and parcel validation, and the import format of the shared sample.
@Suite struct ProjectValidationTests {
    @Test func theSampleProjectValidates() throws {
        let project = Fixtures.sampleProject()
        try project.validate()
        #expect(project.parcels.count == 2)
        #expect(project.villages(of: [Fixtures.parcel2, Fixtures.parcel1, Fixtures.parcel2]) == ["荆湾村", "红庙村"])
        #expect(project.parcel(Fixtures.parcel1)?.village == "红庙村")
        #expect(project.parcel("330523-2026-37-3") == nil)
    }

    @Test func anotherProjectValidates() throws {
        try Fixtures.otherProject().validate()
        try Fixtures.otherProject(parcelKeys: ["a-1", "a-2", "a-3"]).validate()
    }

    /// The shared sample, when present beside the repository, decodes to exactly the fixture.
    @Test(.enabled(if: Fixtures.sharedSampleURL() != nil, "../shared/samples is not present"))
    func theSharedSampleDecodesToTheFixture() throws {
        let url = try #require(Fixtures.sharedSampleURL())
        let file = try JSONInput.decode(ProjectFile.self, from: Data(contentsOf: url), source: url.lastPathComponent)
        try file.project.validate()
        #expect(file.project == Fixtures.sampleProject())
    }

    @Test func parcelsInheritTheProjectsCountyAndTownship() throws {
        let json = """
            {"project": {"key": "330523-2026-1", "name": "测试批次", "county": {"code": "330523", "name": "安吉县"},
                         "township": "梅溪镇", "purpose": "测试", "totalAreaMu": 15, "totalAreaM2": 10000},
             "parcels": [{"key": "330523-2026-1-1", "displayName": "一号地块", "village": "红庙村", "owner": "合作社",
                          "areaMu": 15, "areaM2": 10000, "landUse": [{"code": "0101", "name": "水田", "areaMu": 15}],
                          "boundary": {"type": "Polygon", "coordinates": [[[119.78, 30.76], [119.79, 30.76], [119.79, 30.77], [119.78, 30.76]]]},
                          "survey": {"dwellings": 0, "attachments": "无", "crops": "无"}}],
             "notices": [], "_about": "ignored"}
            """
        let project = try JSONInput.decode(ProjectFile.self, from: Data(json.utf8), source: "inline").project
        try project.validate()
        let parcel = try #require(project.parcels.first)
        #expect(parcel.countyCode == "330523" && parcel.countyName == "安吉县" && parcel.township == "梅溪镇")
        #expect(parcel.villageCode == nil)
        #expect(project.approvalAuthority == nil)
    }

    struct Case: Sendable, CustomStringConvertible {
        let description: String
        let field: String
        let change: @Sendable (inout Project) -> Void

        init(_ description: String, field: String, _ change: @escaping @Sendable (inout Project) -> Void) {
            self.description = description
            self.field = field
            self.change = change
        }
    }

    static let cases: [Case] = [
        Case("non-ASCII project key", field: "project.key") { $0.key = "安吉-2026-37" },
        Case("project key over 40 characters", field: "project.key") { $0.key = String(repeating: "9", count: 41) },
        Case("missing name", field: "project.name") { $0.name = "" },
        Case("county code of 5 digits", field: "project.county.code") { $0.county.code = "33052" },
        Case("county code with a letter", field: "project.county.code") { $0.county.code = "33052X" },
        Case("county code of full-width digits", field: "project.county.code") { $0.county.code = "３３０５２３" },
        Case("missing purpose", field: "project.purpose") { $0.purpose = " " },
        Case("no parcels", field: "parcels") { $0.parcels = [] },
        Case("duplicate parcel keys", field: "parcels[1].key") { $0.parcels[1].key = $0.parcels[0].key },
        Case("non-ASCII parcel key", field: "parcels[1].key") { $0.parcels[1].key = "330523-2026-37-二" },
        Case("land-use lines do not add up", field: "parcels[0].landUse") { $0.parcels[0].landUse[0].areaMu = 17.20 },
        Case("no land-use lines", field: "parcels[0].landUse") { $0.parcels[0].landUse = [] },
        Case("land-use code of 3 digits", field: "parcels[1].landUse[2].code") {
            $0.parcels[1].landUse[2].code = "702"
        },
        Case("negative land-use area", field: "parcels[0].landUse[1].areaMu") { $0.parcels[0].landUse[1].areaMu = -1 },
        Case("parcel mu and m² disagree", field: "parcels[0].areaM2") { $0.parcels[0].areaM2 = 20_433 },
        Case("parcel m² of zero", field: "parcels[1].areaM2") { $0.parcels[1].areaM2 = 0 },
        Case("zero parcel area", field: "parcels[0].areaMu") { $0.parcels[0].areaMu = 0 },
        Case("project total mu does not add up", field: "project.totalAreaMu") { $0.totalAreaMu = 60 },
        Case("project total mu and m² disagree", field: "project.totalAreaM2") { $0.totalAreaM2 = 39_913 },
        Case("unclosed polygon", field: "parcels[0].boundary.coordinates[0]") {
            $0.parcels[0].boundary.coordinates[0].removeLast()
        },
        Case("polygon of three positions", field: "parcels[1].boundary.coordinates[0]") {
            $0.parcels[1].boundary.coordinates = [[[119.0, 30.0], [119.1, 30.0], [119.0, 30.0]]]
        },
        Case("polygon without rings", field: "parcels[0].boundary.coordinates") {
            $0.parcels[0].boundary.coordinates = []
        },
        Case("latitude out of range", field: "parcels[0].boundary.coordinates[0][2]") {
            $0.parcels[0].boundary.coordinates[0][2] = [119.78, 95]
        },
        Case("not a polygon", field: "parcels[0].boundary.type") { $0.parcels[0].boundary.type = "LineString" },
        Case("village code of 9 digits", field: "parcels[0].villageCode") { $0.parcels[0].villageCode = "330523105" },
        Case("missing owner", field: "parcels[1].owner") { $0.parcels[1].owner = "" },
        Case("negative dwellings", field: "parcels[1].survey.dwellings") { $0.parcels[1].survey.dwellings = -3 },
    ]

    @Test(arguments: cases)
    func refused(_ c: Case) {
        var project = Fixtures.sampleProject()
        c.change(&project)
        let error = #expect(throws: ValidationError.self) { try project.validate() }
        #expect(error?.field == c.field, "\(error?.description ?? "no error")")
    }

    @Test func areaMessagesQuoteBothFigures() {
        var project = Fixtures.sampleProject()
        project.parcels[0].landUse[0].areaMu = 17.20
        let error = #expect(throws: ValidationError.self) { try project.validate() }
        #expect(error?.message == "lines add up to 31.15 亩 but the parcel is 32.15 亩")
        #expect(Area.format(58.37) == "58.37")
        #expect(Area.format(3.5) == "3.50")
        #expect(Area.format(12) == "12.00")
    }
}
