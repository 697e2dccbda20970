import Foundation
import GonggaoChannels
import GonggaoCore
import GonggaoPoster
import GonggaoStore

extension CommandSpec {
    /// `gonggao poster render NOTICE_ID [--version N] [--paper A4|A3] [--format pdf|png|both] [--dpi N] [--out DIR]`.
    static let posterRender = CommandSpec(
        path: ["poster", "render"],
        summary: "render a notice version's poster as PDF and/or PNG pages; prints the files written",
        arguments: [.noticeID],
        options: PosterOptions.specs + [OptionSpec(name: "version", value: "N", help: "the version (default: the latest)")],
        discussion: """
            Files are <out>/<notice>-v<version>.pdf and <notice>-v<version>-p<page>.png (one per page),
            written atomically; stdout lists them. The poster is marked as the print channel marks it: 草稿
            before approval, 更正 with the document number it corrects for a later version, 撤回公告 once
            withdrawn. A character without a glyph in the template's fonts fails the render with the
            characters and where they occur, unless --allow-missing-glyphs: then they are listed on stderr
            and recorded in the PDF keywords and the PNG text ("missing-glyphs U+…").
            """
    ) { inv, ctx in
        let options = try PosterOptions(inv, config: ctx.config)
        let requested = try inv.positiveInt("version")
        let id = inv.argument("ID")
        let (notice, previous, project) = try await ctx.withStore { store in
            try await store.read { tx -> (NoticeVersion, NoticeVersion?, Project) in
                let versions = try tx.noticeVersions(id)
                guard let latest = versions.last else { throw WorkflowError.unknownNotice(id) }
                let v = requested.flatMap { n in versions.first { $0.version == n } } ?? latest
                if let requested, v.version != requested { throw WorkflowError.unknownVersion(notice: id, version: requested) }
                guard let project = try tx.project(v.content.project) else { throw WorkflowError.unknownProject(v.content.project) }
                return (v, versions.first { $0.version == v.version - 1 }, project)
            }
        }
        let renderer = try PosterKit(config: ctx.config).renderer(paper: options.paper)
        let files = try options.render(notice, previous: previous, project: project, renderer: renderer,
                                       kit: PosterKit(config: ctx.config))
        ctx.output.lines(files)
    }

    /// `gonggao poster batch --project KEY [...]`.
    static let posterBatch = CommandSpec(
        path: ["poster", "batch"],
        summary: "render the posters of every approved notice of a project (progress on a terminal)",
        options: [OptionSpec(name: "project", value: "KEY", required: true, help: "the project key")] + PosterOptions.specs
    ) { inv, ctx in
        let options = try PosterOptions(inv, config: ctx.config)
        let key = inv.option("project") ?? ""
        let (notices, project) = try await ctx.withStore { store in
            try await store.read { tx -> ([(NoticeVersion, NoticeVersion?)], Project) in
                guard let project = try tx.project(key) else { throw WorkflowError.unknownProject(key) }
                let approved = try tx.notices(NoticeFilter(project: key)).compactMap { latest -> (NoticeVersion, NoticeVersion?)? in
                    let versions = try tx.noticeVersions(latest.id)
                    guard let v = versions.last(where: { $0.state == .approved }) else { return nil }
                    return (v, versions.first { $0.version == v.version - 1 })
                }
                return (approved.reversed(), project)
            }
        }
        let kit = PosterKit(config: ctx.config)
        let renderer = try kit.renderer(paper: options.paper)
        let progress = Progress(total: notices.count)
        for (i, (notice, previous)) in notices.enumerated() {
            let files = try options.render(notice, previous: previous, project: project, renderer: renderer, kit: kit)
            progress.step(i + 1, "\(notice.reference) \(files.count) file(s)")
            if !progress.isTerminal { ctx.output.lines(files) }
        }
        progress.finish()
        Output.error("\(notices.count) approved notice(s) of \(key) rendered to \(options.out)")
    }

    /// `gonggao qr URL -o FILE.png [--level L|M|Q|H] [--scale N]`.
    static let qr = CommandSpec(
        path: ["qr"],
        summary: "write a QR code PNG for a URL (ASCII, at most 80 bytes; 4-module quiet zone)",
        arguments: [ArgumentSpec(name: "URL", help: "the link to encode")],
        options: [
            OptionSpec(name: "o", value: "FILE.png", required: true, help: "where to write the PNG"),
            OptionSpec(name: "level", value: "L|M|Q|H", help: "error correction (default Q, for outdoor paper)"),
            OptionSpec(name: "scale", value: "N", help: "pixels per module (default 8)"),
        ]
    ) { inv, ctx in
        let level = try inv.choice("level", QRErrorCorrection.self) ?? .Q
        let scale = try inv.positiveInt("scale") ?? 8
        guard scale <= 100 else { throw UsageError("--scale must be 1…100, not \(scale)") }
        let path = inv.option("o") ?? ""
        let matrix: QRMatrix
        do {
            matrix = try QRMatrix.encode(url: inv.argument("URL"), errorCorrection: level)
        } catch {
            throw CommandFailure(.refused, "\(error)")
        }
        try writeFile(try matrix.png(scale: scale), to: path)
        ctx.output.line(path)
    }
}

/// The options `poster render` and `poster batch` share.
struct PosterOptions {
    static let specs = [
        OptionSpec(name: "paper", value: "A4|A3", help: "paper size (default: the config's poster.paper)"),
        OptionSpec(name: "format", value: "pdf|png|both", help: "what to write (default both)"),
        OptionSpec(name: "dpi", value: "N", help: "PNG resolution: 150 preview, 300 print (default: the config's poster.dpi)"),
        OptionSpec(name: "out", value: "DIR", help: "folder to write into (default: the current folder)"),
        OptionSpec(name: "allow-missing-glyphs",
                   help: "render even when a character has no glyph (listed on stderr, recorded in the files)"),
    ]

    var paper: String
    var format: PosterFormat
    var dpi: Int
    var out: String
    var allowMissingGlyphs: Bool

    init(_ inv: Invocation, config: Config) throws(UsageError) {
        paper = (inv.option("paper") ?? config.poster.paper).uppercased()
        guard ["A4", "A3"].contains(paper) else { throw UsageError("--paper '\(inv.option("paper") ?? "")' is not A4 or A3") }
        format = try inv.choice("format", PosterFormat.self) ?? .both
        dpi = try inv.positiveInt("dpi") ?? config.poster.dpi
        guard (72...600).contains(dpi) else { throw UsageError("--dpi must be 72…600, not \(dpi)") }
        out = inv.option("out") ?? "."
        allowMissingGlyphs = inv.flag("allow-missing-glyphs")
    }

    /// Renders one version (`previous` is version n−1, for the 更正 mark) and writes its files; returns their paths.
    func render(_ notice: NoticeVersion, previous: NoticeVersion?, project: Project, renderer: PosterRenderer,
                kit: PosterKit) throws -> [String] {
        let input = try kit.input(notice, previous: previous, project: project, allowMissingGlyphs: allowMissingGlyphs)
        let poster: RenderedPoster
        do {
            poster = try renderer.render(input, format: format, dpi: dpi)
        } catch let e as PosterError {
            throw CommandFailure(.refused, "\(notice.reference): \(e)")
        }
        for glyph in poster.missingGlyphs {
            Output.error("warning: \(notice.reference): no glyph for \(glyph) (rendered anyway: --allow-missing-glyphs)")
        }
        if !poster.missingGlyphs.isEmpty {
            Output.error("warning: \(notice.reference): recorded in the PDF keywords and PNG text: "
                         + PosterRenderer.missingRecord(poster.missingGlyphs))
        }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let base = (out as NSString).appendingPathComponent("\(notice.id)-v\(notice.version)")
        var files: [String] = []
        if let pdf = poster.pdf {
            try writeFile(pdf, to: base + ".pdf")
            files.append(base + ".pdf")
        }
        for (i, png) in poster.pngPages.enumerated() {
            let path = base + "-p\(i + 1).png"
            try writeFile(png, to: path)
            files.append(path)
        }
        return files
    }
}

/// Writes a file atomically (temp file, fsync, rename); a failure names the path.
func writeFile(_ bytes: [UInt8], to path: String) throws {
    do {
        try SpoolFolder.writeAtomically(bytes, to: path)
    } catch {
        throw CommandFailure(.failure, "\(error)")
    }
}

/// A progress bar on a terminal (stderr), nothing otherwise.
final class Progress {
    let total: Int
    let isTerminal = isatty(STDERR_FILENO) == 1

    init(total: Int) { self.total = total }

    func step(_ done: Int, _ label: String) {
        guard isTerminal, total > 0 else { return }
        let width = 30
        let filled = width * done / total
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total) \(label)\u{1B}[K".utf8))
    }

    func finish() {
        if isTerminal && total > 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
