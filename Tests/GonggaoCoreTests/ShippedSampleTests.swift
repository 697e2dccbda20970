import Foundation
import GonggaoCore
import TestSupport
import Testing

/// The mapped sample shipped in Config/samples stays equal to the fixtures the tests build.
@Suite struct ShippedSampleTests {
    static let samples = Fixtures.repositoryRoot().appendingPathComponent("Config/samples")

    static func load<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        let url = samples.appendingPathComponent(name)
        return try JSONInput.decode(T.self, from: Data(contentsOf: url), source: name)
    }

    static let present = FileManager.default.fileExists(atPath: samples.path)

    @Test(.enabled(if: present, "Config/samples is not present"))
    func theShippedProjectIsTheFixture() throws {
        let project = try Self.load(ProjectFile.self, "anji-meixi-2026-37.project.json").project
        try project.validate()
        #expect(project == Fixtures.sampleProject())
    }

    @Test(.enabled(if: present, "Config/samples is not present"))
    func theShippedNoticesAreTheFixtures() throws {
        let pre = try Self.load(NoticeContent.self, "anji-meixi-2026-37.pre-announcement.json")
        let plan = try Self.load(NoticeContent.self, "anji-meixi-2026-37.compensation-plan.json")
        try pre.validate(in: Fixtures.sampleProject())
        try plan.validate(in: Fixtures.sampleProject())
        #expect(pre == Fixtures.preAnnouncement())
        #expect(plan == Fixtures.compensationPlan())
    }
}
