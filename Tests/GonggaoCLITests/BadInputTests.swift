import Foundation
import GonggaoCore
import Testing
import TestSupport

/// Bad input gets a one-line error naming the problem, the right exit code, and changes nothing.
@Suite(.serialized) struct BadInputTests {
    /// One refused command line and what it must say.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var status: Int32
        /// Every one of these must appear in the error line.
        var mentions: [String]
        /// Builds the command line inside a prepared sandbox.
        var arguments: @Sendable (Prepared) throws -> [String]

        var testDescription: String { name }
    }

    /// A sandbox holding the sample project, a draft by zhang.wei and a submitted notice drafted by
    /// wang.fang (who may also approve, so only the four-eyes rule stops her).
    struct Prepared: Sendable {
        var sandbox: CLISandbox
        var draftID: String
        var ownSubmittedID: String

        func notice(_ name: String, _ change: (inout [String: Any]) -> Void) throws -> String {
            var object = try Flow.noticeObject()
            change(&object)
            return try sandbox.writeJSON(name, object)
        }

        func project(_ name: String, _ change: (inout [String: Any]) -> Void) throws -> String {
            var object = try Flow.projectObject()
            change(&object)
            return try sandbox.writeJSON(name, object)
        }
    }

    static func draft(_ file: String) -> [String] { ["notice", "draft", file, "--as", "zhang.wei"] }

    static func withParcel(_ key: String) -> (inout [String: Any]) -> Void {
        { $0["parcels"] = ["330523-2026-37-1", key] }
    }

    static let cases: [Case] = [
        Case(name: "malformed JSON", status: 3, mentions: ["bad.json", "malformed JSON", "line 3, column"]) { p in
            draft(try p.sandbox.write("bad.json", "{\n  \"project\": \"330523-2026-37\",\n  \"kind\": ,\n  \"title\": \"x\"\n}\n"))
        },
        Case(name: "unknown notice kind", status: 3, mentions: ["kind", "'pre-annoucement' is not a notice kind", "pre-announcement, survey-results"]) { p in
            draft(try p.notice("kind.json") { $0["kind"] = "pre-annoucement" })
        },
        Case(name: "missing mandatory field", status: 3, mentions: ["issuer is required"]) { p in
            draft(try p.notice("missing.json") { $0.removeValue(forKey: "issuer") })
        },
        Case(name: "empty mandatory field", status: 3, mentions: ["title: is required"]) { p in
            draft(try p.notice("empty.json") { $0["title"] = "  " })
        },
        Case(name: "parcel key not in the project", status: 3, mentions: ["parcels[1]", "330523-2026-37-9", "not in project"]) { p in
            draft(try p.notice("parcel.json", withParcel("330523-2026-37-9")))
        },
        Case(name: "non-ASCII parcel key", status: 3, mentions: ["parcels[1]", "not ASCII"]) { p in
            draft(try p.notice("ascii.json", withParcel("330523-2026-37-二")))
        },
        Case(name: "over-long parcel key", status: 3, mentions: ["parcels[1]", "at most 40"]) { p in
            draft(try p.notice("long.json", withParcel("330523-2026-37-" + String(repeating: "9", count: 30))))
        },
        Case(name: "non-ASCII parcel key in a project", status: 3, mentions: ["parcels[0].key", "not ASCII"]) { p in
            let file = try p.project("project.json") { o in
                var parcels = o["parcels"] as! [[String: Any]]
                parcels[0]["key"] = "梅溪-1"
                o["parcels"] = parcels
            }
            return ["project", "import", file, "--as", "zhang.wei"]
        },
        Case(name: "re-import dropping a parcel a notice names", status: 3,
             mentions: ["parcel '330523-2026-37-2'", "is named by notice", "cannot be removed"]) { p in
            let file = try p.project("dropped.json") { o in
                var parcels = o["parcels"] as! [[String: Any]]
                parcels[1]["key"] = "330523-2026-37-3"
                o["parcels"] = parcels
            }
            return ["project", "import", file, "--as", "zhang.wei"]
        },
        Case(name: "unknown channel filter", status: 2, mentions: ["--channel", "'nope'", "print"]) { _ in
            ["deliveries", "list", "--channel", "nope"]
        },
        Case(name: "body over 20,000 characters", status: 3, mentions: ["body", "20001 characters", "at most 20000"]) { p in
            draft(try p.notice("body.json") { $0["body"] = [String(repeating: "征", count: 10_000), String(repeating: "地", count: 10_001)] })
        },
        Case(name: "the drafter approving their own notice", status: 3, mentions: ["four-eyes", "wang.fang"]) { p in
            ["notice", "approve", p.ownSubmittedID, "--as", "wang.fang"]
        },
        Case(name: "approving a draft never submitted", status: 3, mentions: ["cannot approve", "it is draft"]) { p in
            ["notice", "approve", p.draftID, "--as", "li.na"]
        },
        Case(name: "unknown notice id", status: 3, mentions: ["unknown notice 'ntc_doesnotexist'"]) { _ in
            ["notice", "approve", "ntc_doesnotexist", "--as", "li.na"]
        },
        Case(name: "unknown delivery id", status: 3, mentions: ["unknown delivery 'dlv_nope'"]) { _ in
            ["deliveries", "show", "dlv_nope"]
        },
        Case(name: "unknown user", status: 3, mentions: ["unknown user 'zhao.lei'"]) { p in
            ["notice", "approve", p.ownSubmittedID, "--as", "zhao.lei"]
        },
        Case(name: "a user without the role", status: 3, mentions: ["zhang.wei", "approver role"]) { p in
            ["notice", "approve", p.ownSubmittedID, "--as", "zhang.wei"]
        },
        Case(name: "reject without a reason", status: 2, mentions: ["missing --reason"]) { p in
            ["notice", "reject", p.ownSubmittedID, "--as", "li.na"]
        },
        Case(name: "missing --as", status: 2, mentions: ["missing --as"]) { p in
            ["notice", "submit", p.draftID]
        },
        Case(name: "input file that does not exist", status: 2, mentions: ["no-such-file.json", "no such file"]) { _ in
            draft("no-such-file.json")
        },
        Case(name: "unknown flag", status: 2, mentions: ["unknown option '--frobnicate'"]) { p in
            ["notice", "approve", p.ownSubmittedID, "--as", "li.na", "--frobnicate"]
        },
        Case(name: "unknown command", status: 2, mentions: ["unknown command 'publish'"]) { p in
            ["notice", "publish", p.ownSubmittedID]
        },
        Case(name: "unknown top-level command", status: 2, mentions: ["unknown command 'approve'"]) { p in
            ["approve", p.ownSubmittedID]
        },
        Case(name: "bad option value", status: 2, mentions: ["--state", "pendng"]) { _ in
            ["deliveries", "list", "--state", "pendng"]
        },
        Case(name: "posting a notice not approved", status: 3, mentions: ["confirm the posting of", "draft"]) { p in
            ["posting", "confirm", p.draftID, "--place", "梅溪镇", "--board", "公告栏", "--as", "admin"]
        },
        Case(name: "posting by a drafter", status: 3, mentions: ["zhang.wei", "poster role"]) { p in
            ["posting", "confirm", p.draftID, "--place", "梅溪镇", "--board", "公告栏", "--as", "zhang.wei"]
        },
        Case(name: "posting without --place", status: 2, mentions: ["missing --place"]) { p in
            ["posting", "confirm", p.draftID, "--board", "公告栏", "--as", "admin"]
        },
        Case(name: "posting with a bad date", status: 2, mentions: ["--posted-on", "2026-13-01"]) { p in
            ["posting", "confirm", p.draftID, "--place", "梅溪镇", "--board", "x", "--posted-on", "2026-13-01", "--as", "admin"]
        },
        Case(name: "posting photo missing", status: 2, mentions: ["--photo", "nope.jpg"]) { p in
            ["posting", "confirm", p.draftID, "--place", "梅溪镇", "--board", "x", "--photo", "nope.jpg", "--as", "admin"]
        },
        Case(name: "posting photo not a JPEG", status: 3, mentions: ["photo", "not a JPEG"]) { p in
            let gif = try p.sandbox.write("photo.gif", "GIF89a")
            return ["posting", "confirm", p.draftID, "--place", "梅溪镇", "--board", "x", "--photo", gif, "--as", "admin"]
        },
        Case(name: "postings of an unknown notice", status: 3, mentions: ["unknown notice 'ntc_nope'"]) { _ in
            ["posting", "list", "ntc_nope"]
        },
        Case(name: "payment amount not a number", status: 2, mentions: ["--amount", "lots"]) { _ in
            ["payment", "record", "--project", "330523-2026-37", "--parcel", "330523-2026-37-1", "--payee", "红庙村",
             "--amount", "lots", "--paid-on", "2026-11-30", "--as", "zhang.wei"]
        },
        Case(name: "payment for a parcel not in the project", status: 3, mentions: ["parcel '330523-2026-37-9'"]) { _ in
            ["payment", "record", "--project", "330523-2026-37", "--parcel", "330523-2026-37-9", "--payee", "红庙村",
             "--amount", "100", "--paid-on", "2026-11-30", "--as", "zhang.wei"]
        },
        Case(name: "payment of a negative amount", status: 3, mentions: ["amountYuan", "positive"]) { _ in
            ["payment", "record", "--project", "330523-2026-37", "--parcel", "330523-2026-37-1", "--payee", "红庙村",
             "--amount", "-5", "--paid-on", "2026-11-30", "--as", "zhang.wei"]
        },
        Case(name: "payment in the future", status: 3, mentions: ["paidOn", "in the future"]) { _ in
            ["payment", "record", "--project", "330523-2026-37", "--parcel", "330523-2026-37-1", "--payee", "红庙村",
             "--amount", "100", "--paid-on", "2026-12-05", "--as", "zhang.wei"]
        },
        Case(name: "payment without --paid-on", status: 2, mentions: ["missing --paid-on"]) { _ in
            ["payment", "record", "--project", "330523-2026-37", "--parcel", "330523-2026-37-1", "--payee", "红庙村",
             "--amount", "100", "--as", "zhang.wei"]
        },
        Case(name: "unknown warning state", status: 2, mentions: ["--state", "'opne'"]) { _ in
            ["warnings", "--state", "opne"]
        },
        Case(name: "acknowledging an unknown warning", status: 3, mentions: ["no warning 'wrn_nope'"]) { _ in
            ["warnings", "ack", "wrn_nope", "--as", "li.na"]
        },
        Case(name: "a gate override does not lift four-eyes", status: 3, mentions: ["four-eyes", "wang.fang"]) { p in
            ["notice", "approve", p.ownSubmittedID, "--override-gate", "急需", "--as", "wang.fang"]
        },
    ]

    static func prepare() async throws -> Prepared {
        let sandbox = try await Flow.withProject()
        let draftID = try await Flow.draft(sandbox)
        let own = try await Flow.submitted(sandbox, as: "wang.fang")
        return Prepared(sandbox: sandbox, draftID: draftID, ownSubmittedID: own)
    }

    @Test(arguments: cases)
    func refusedAndNothingChanges(_ badCase: Case) async throws {
        let prepared = try await Self.prepare()
        defer { prepared.sandbox.cleanup() }
        let arguments = try badCase.arguments(prepared)
        let before = try await prepared.sandbox.dump()

        let result = try await prepared.sandbox.run(arguments)

        #expect(result.status == badCase.status, "\(result)")
        #expect(result.stdout.isEmpty, "nothing on stdout: \(result.stdout)")
        #expect(result.stderrLines.count == 1, "one line: \(result.stderr)")
        let line = result.stderrLines.first ?? ""
        #expect(line.hasPrefix("gonggao: "), "\(line)")
        for word in badCase.mentions { #expect(line.contains(word), "'\(word)' in: \(line)") }
        let after = try await prepared.sandbox.dump()
        #expect(after == before, "the store must be exactly as it was")
    }
}
