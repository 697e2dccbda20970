import Foundation
import GonggaoCore
import Testing
import TestSupport

/// `gonggao poster render`, `poster batch` and `qr` through the built binary, the files read back with
/// poppler and zbar. Serialized: each test renders several posters and spawns the checkers.
/// Run when the checkers are installed, and always under CI, where a missing one fails the tests.
@Suite(.serialized, .enabled(if: ExternalTools.shouldRun(["pdftotext", "pdfinfo", "zbarimg"])))
struct PosterCommandTests {
    static let projectKey = "330523-2026-37"
    /// The sample notice names two parcels, so its QR opens the project's page.
    static let qrURL = "https://gonggao.example.gov.cn/p/\(projectKey)"

    /// A sandbox with the sample pre-announcement approved; returns it and the notice id.
    func approved() async throws -> (CLISandbox, String) {
        let sandbox = try await Flow.withProject()
        let id = try await Flow.submitted(sandbox)
        _ = try await sandbox.ok(["notice", "approve", id, "--as", "li.na"])
        return (sandbox, id)
    }

    func path(_ sandbox: CLISandbox, _ relative: String) -> String {
        sandbox.directory.appendingPathComponent(relative).path
    }

    @Test func renderWritesPdfPngOrBothAtThePaperAndDpiAsked() async throws {
        let (sandbox, id) = try await approved()
        defer { sandbox.cleanup() }

        // --format pdf: one file, listed on stdout, A4 by default.
        let pdfOnly = try await sandbox.ok(["poster", "render", id, "--format", "pdf", "--out", "pdf"])
        #expect(pdfOnly == "pdf/\(id)-v1.pdf")
        let pdf = path(sandbox, "pdf/\(id)-v1.pdf")
        let text = try await ExternalTools.pdfText(pdf)
        #expect(text.contains("安吉县人民政府征收土地预公告") && text.contains("安政征预〔2026〕37号"))
        #expect(!text.contains("更正") && !text.contains("草稿"))
        let info = try await ExternalTools.pdfInfo(pdf)
        #expect(info["Page size"]?.hasSuffix("(A4)") == true, "\(info)")
        let pages = try #require(Int(info["Pages"] ?? ""))

        // --format png --dpi 100: one PNG per page, at 100 dpi (A4 is 827 px wide; 3937 px/m).
        let pngs = try await sandbox.ok(["poster", "render", id, "--format", "png", "--dpi", "100", "--out", "png"])
            .split(separator: "\n").map(String.init)
        #expect(pngs == (1...pages).map { "png/\(id)-v1-p\($0).png" })
        for file in pngs {
            let geometry = try #require(ExternalTools.pngGeometry(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path(sandbox, file))))))
            #expect(geometry.width == 827 && geometry.pixelsPerMetre == 3937, "\(file): \(geometry)")
            #expect(try await ExternalTools.decodeQR(path(sandbox, file)) == Self.qrURL, "\(file)")
        }

        // --format both --paper A3, the preview dpi (150) by default.
        let both = try await sandbox.ok(["poster", "render", id, "--paper", "A3", "--format", "both", "--out", "a3"])
            .split(separator: "\n").map(String.init)
        let a3Info = try await ExternalTools.pdfInfo(path(sandbox, "a3/\(id)-v1.pdf"))
        #expect(a3Info["Page size"]?.hasSuffix("(A3)") == true, "\(a3Info)")
        let a3Pages = try #require(Int(a3Info["Pages"] ?? ""))
        #expect(both == ["a3/\(id)-v1.pdf"] + (1...a3Pages).map { "a3/\(id)-v1-p\($0).png" })
        let a3Page = try #require(ExternalTools.pngGeometry(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path(sandbox, both[1]))))))
        #expect(a3Page.width == 1754 && a3Page.pixelsPerMetre == 5906, "\(a3Page)")
    }

    @Test func aCorrectionIsMarked更正WithTheDocumentNumberItCorrects() async throws {
        let (sandbox, id) = try await approved()
        defer { sandbox.cleanup() }
        var corrected = try Flow.noticeObject()
        corrected["documentNumber"] = "安政征预〔2026〕38号"
        let file = try sandbox.writeJSON("corrected.json", corrected)
        #expect(try await sandbox.ok(["notice", "correct", id, file, "--as", "zhang.wei"]) == "\(id)/v2")

        // Not approved yet: a draft that must not be posted.
        _ = try await sandbox.ok(["poster", "render", id, "--format", "pdf", "--out", "draft"])
        #expect(try await ExternalTools.pdfText(path(sandbox, "draft/\(id)-v2.pdf")).contains("草稿：\(id)/v2尚未批准，不得张贴"))

        _ = try await sandbox.ok(["notice", "submit", id, "--as", "zhang.wei"])
        _ = try await sandbox.ok(["notice", "approve", id, "--as", "li.na"])
        #expect(try await sandbox.ok(["poster", "render", id, "--format", "pdf", "--out", "v2"]) == "v2/\(id)-v2.pdf")
        let v2 = try await ExternalTools.pdfText(path(sandbox, "v2/\(id)-v2.pdf"))
        #expect(v2.contains("更正公告：本版（第2版）更正安政征预〔2026〕37号（第1版）"), "\(v2.prefix(300))")
        #expect(v2.contains("安政征预〔2026〕38号"))

        // The superseded first version renders as it was, unmarked.
        _ = try await sandbox.ok(["poster", "render", id, "--version", "1", "--format", "pdf", "--out", "v1"])
        let v1 = try await ExternalTools.pdfText(path(sandbox, "v1/\(id)-v1.pdf"))
        #expect(!v1.contains("更正") && v1.contains("安政征预〔2026〕37号"))

        // Withdrawn: the poster is the withdrawal notice, dated by the sandbox's clock.
        _ = try await sandbox.ok(["notice", "withdraw", id, "--as", "li.na", "--reason", "项目调整"])
        _ = try await sandbox.ok(["poster", "render", id, "--format", "pdf", "--out", "withdrawn"])
        let withdrawn = try await ExternalTools.pdfText(path(sandbox, "withdrawn/\(id)-v2.pdf"))
        #expect(withdrawn.contains("撤回公告：本公告已于2026年12月1日撤回，原公告内容作废"))
    }

    @Test func missingGlyphsFailUnlessAllowedAndAreRecorded() async throws {
        let sandbox = try await Flow.withProject()
        defer { sandbox.cleanup() }
        var notice = try Flow.noticeObject()
        var body = notice["body"] as! [String]
        body[0] += "𰀀"
        notice["body"] = body
        let id = try await sandbox.ok(["notice", "draft", try sandbox.writeJSON("rare.json", notice), "--as", "zhang.wei"])

        let refused = try await sandbox.run(["poster", "render", id, "--format", "pdf", "--out", "no"])
        #expect(refused.status == 3 && refused.stderrLines.count == 1, "\(refused)")
        #expect(refused.stderr.contains("U+30000 in body[0]") && refused.stderr.contains("--allow-missing-glyphs"))
        #expect(!FileManager.default.fileExists(atPath: path(sandbox, "no/\(id)-v1.pdf")))

        let allowed = try await sandbox.run(["poster", "render", id, "--format", "pdf", "--out", "yes", "--allow-missing-glyphs"])
        #expect(allowed.status == 0 && allowed.stdoutLines == ["yes/\(id)-v1.pdf"], "\(allowed)")
        #expect(allowed.stderr.contains("no glyph for '𰀀' U+30000 in body[0]"))
        #expect(allowed.stderr.contains("missing-glyphs U+30000 (--allow-missing-glyphs)"))
        let keywords = try await ExternalTools.pdfInfo(path(sandbox, "yes/\(id)-v1.pdf"))["Keywords"]
        #expect(keywords?.hasSuffix("missing-glyphs U+30000 (--allow-missing-glyphs)") == true, "\(keywords ?? "none")")
    }

    @Test func batchRendersEveryApprovedNoticeAsPlainLines() async throws {
        let (sandbox, id) = try await approved()
        defer { sandbox.cleanup() }
        // A draft of the same project is not rendered.
        let draft = try await Flow.draft(sandbox, file: Flow.compensationPlan)
        let result = try await sandbox.run(["poster", "batch", "--project", Self.projectKey, "--format", "pdf", "--out", "batch"])
        #expect(result.status == 0, "\(result)")
        // Not a terminal: no progress bar, one path per line.
        #expect(result.stdoutLines == ["batch/\(id)-v1.pdf"])
        #expect(!result.stdout.contains("\r") && !result.stderr.contains("\r") && !result.stderr.contains("\u{1B}"))
        #expect(result.stderrLines == ["gonggao: 1 approved notice(s) of \(Self.projectKey) rendered to batch"])
        #expect(!FileManager.default.fileExists(atPath: path(sandbox, "batch/\(draft)-v1.pdf")))
        #expect(try await ExternalTools.pdfText(path(sandbox, "batch/\(id)-v1.pdf")).contains("安政征预〔2026〕37号"))
    }

    @Test func qrWritesADecodablePNGAtTheLevelAndScaleAsked() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.cleanup() }
        let url = "https://gonggao.example.gov.cn/p/ab-1234" // 40 bytes
        var modules: [String: Int] = [:]
        for level in ["L", "H"] {
            let file = "qr-\(level).png"
            #expect(try await sandbox.ok(["qr", url, "-o", file, "--level", level, "--scale", "4"]) == file)
            #expect(try await ExternalTools.decodeQR(path(sandbox, file)) == url)
            let geometry = try #require(ExternalTools.pngGeometry(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path(sandbox, file))))))
            #expect(geometry.width == geometry.height && geometry.width % 4 == 0)
            // Modules per side without the 4-module quiet zone: 21 + 4 × (version − 1).
            let side = geometry.width / 4 - 8
            #expect(side >= 21 && (side - 21) % 4 == 0, "level \(level): \(side) modules")
            modules[level] = side
        }
        // More error correction, more modules for the same URL: the level reached the encoder.
        #expect(modules["H"]! > modules["L"]!, "\(modules)")
        // The default scale is 8 pixels per module.
        _ = try await sandbox.ok(["qr", url, "-o", "default.png", "--level", "L"])
        let plain = try #require(ExternalTools.pngGeometry(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path(sandbox, "default.png"))))))
        #expect(plain.width == (modules["L"]! + 8) * 8)
    }


    /// A sandbox whose only channel is print, spooling beside the store.
    static func printOnly() throws -> CLISandbox {
        try CLISandbox(configJSON: """
            {
              "store": { "sqlite": "gonggao.sqlite" },
              "publicBaseURL": "https://gonggao.example.gov.cn",
              "users": \(CLISandbox.usersJSON),
              "channels": [ { "name": "print", "type": "print" } ],
              "templates": "\(GonggaoBinary.repositoryRoot.appendingPathComponent("Templates").path)",
              "http": { "trustLocalOperators": true }
            }
            """)
    }

    @Test func theWorkerPrintsTheNoticeAndThenItsWithdrawalBesideIt() async throws {
        let sandbox = try Self.printOnly()
        defer { sandbox.cleanup() }
        _ = try await sandbox.ok(["init"])
        _ = try await sandbox.ok(["project", "import", Flow.project, "--as", "zhang.wei"])
        let id = try await Flow.submitted(sandbox)
        _ = try await sandbox.ok(["notice", "approve", id, "--as", "li.na"])
        _ = try await sandbox.ok(["worker", "--until-idle"])
        let folder = sandbox.directory.appendingPathComponent("spool/安吉县/梅溪镇")
        let original = try Data(contentsOf: folder.appendingPathComponent("\(id)-v1.pdf"))

        #expect(try await sandbox.ok(["notice", "withdraw", id, "--as", "li.na", "--reason", "项目调整"])
            == "withdrawn \(id)/v1, 1 withdrawal delivery queued")
        _ = try await sandbox.ok(["worker", "--until-idle"])
        let delivered = try await sandbox.ok(["deliveries", "list", "--notice", id, "--state", "delivered"])
        #expect(delivered.split(separator: "\n").count == 3, "a header, the publication and the withdrawal: \(delivered)")

        // The withdrawal notice is spooled beside the original, which stays as it was.
        #expect(try Data(contentsOf: folder.appendingPathComponent("\(id)-v1.pdf")) == original)
        let withdrawal = folder.appendingPathComponent("\(id)-v1-withdrawal.pdf").path
        let text = try await ExternalTools.pdfText(withdrawal)
        #expect(text.contains("撤回公告：本公告已于2026年12月1日撤回，原公告内容作废") && text.contains("安政征预〔2026〕37号"))
        let manifest = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: folder.appendingPathComponent("\(id)-v1-withdrawal.json"))) as? [String: Any])
        #expect(manifest["operation"] as? String == "withdraw" && manifest["dpi"] as? Int == 150)
        let pages = try #require(manifest["pages"] as? Int)
        let files = try #require(manifest["files"] as? [String: String])
        #expect(Set(files.keys) == Set(["\(id)-v1-withdrawal.pdf"] + (1...pages).map { "\(id)-v1-withdrawal-p\($0).png" }))
        #expect(try await ExternalTools.decodeQR(folder.appendingPathComponent("\(id)-v1-withdrawal-p1.png").path) == Self.qrURL)
    }
}

/// Bad command lines of the poster commands: exit 2 and one line on stderr, nothing written.
@Suite struct PosterUsageTests {
    @Test(arguments: [
        (["qr", "https://gonggao.example.gov.cn/p/x"], "missing -o FILE.png for 'gonggao qr'"),
        (["qr", "https://gonggao.example.gov.cn/p/x", "-o", "x.png", "--level", "X"], "--level"),
        (["qr", "https://gonggao.example.gov.cn/p/x", "-o", "x.png", "--scale", "0"], "--scale"),
        (["qr", "https://gonggao.example.gov.cn/p/x", "-o", "x.png", "--scale", "101"], "--scale must be 1…100"),
        (["qr", "https://gonggao.example.gov.cn/p/x", "-o", ""], "option -o is empty"),
        (["poster", "render"], "missing ID"),
        (["poster", "render", "ntc_x", "--paper", "A5"], "--paper 'A5' is not A4 or A3"),
        (["poster", "render", "ntc_x", "--format", "gif"], "--format"),
        (["poster", "render", "ntc_x", "--dpi", "10"], "--dpi must be 72…600, not 10"),
        (["poster", "render", "ntc_x", "--dpi", "many"], "--dpi"),
        (["poster", "batch"], "missing --project KEY"),
    ])
    func badArgumentsAreAUsageErrorOnOneLine(arguments: [String], message: String) async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.cleanup() }
        let result = try await sandbox.run(arguments)
        #expect(result.status == 2, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderrLines.count == 1 && result.stderr.contains(message), "\(result.stderr)")
        #expect(!result.stderr.contains("--o "))
        #expect(!FileManager.default.fileExists(atPath: sandbox.directory.appendingPathComponent("x.png").path))
    }

    @Test func aPrintDPIOutOfRangeIsAConfigErrorNamingTheKey() async throws {
        let sandbox = try CLISandbox(configJSON: """
            {
              "store": { "sqlite": "gonggao.sqlite" },
              "publicBaseURL": "https://gonggao.example.gov.cn",
              "users": \(CLISandbox.usersJSON),
              "channels": [ { "name": "print", "type": "print" } ],
              "poster": { "dpi": 150, "printDPI": 1200 }
            }
            """)
        defer { sandbox.cleanup() }
        let result = try await sandbox.run(["init"])
        #expect(result.status == 2 && result.stderrLines.count == 1, "\(result)")
        #expect(result.stderr.contains("poster.printDPI") && result.stderr.contains("must be 72…600, not 1200"), "\(result.stderr)")
    }

    @Test func aURLOverEightyBytesIsRefused() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.cleanup() }
        let url = "https://gonggao.example.gov.cn/p/" + String(repeating: "k", count: 48) // 81 bytes
        let result = try await sandbox.run(["qr", url, "-o", "long.png"])
        #expect(result.status == 3 && result.stderrLines.count == 1, "\(result)")
        #expect(result.stderr.contains("80"))
        #expect(!FileManager.default.fileExists(atPath: sandbox.directory.appendingPathComponent("long.png").path))
    }
}
