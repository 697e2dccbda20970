import Foundation
import GonggaoCore

extension CommandSpec {
    /// `gonggao posting confirm ID --place PLACE --board TEXT [--posted-on DATE] [--photo FILE] [--version N] --as USER`.
    static let postingConfirm = CommandSpec(
        path: ["posting", "confirm"],
        summary: "confirm that an approved notice's paper poster is up at one posting place",
        arguments: [.noticeID],
        options: [
            OptionSpec(name: "place", value: "PLACE", required: true,
                       help: "township:NAME or village:NAME (or just the name), one of the places 'posting list' shows"),
            OptionSpec(name: "board", value: "TEXT", required: true, help: "the notice board, e.g. 村委会公告栏"),
            OptionSpec(name: "posted-on", value: "DATE", help: "the day it went up, YYYY-MM-DD (default: today in Asia/Shanghai)"),
            OptionSpec(name: "photo", value: "FILE", help: "a JPEG photo of the posted notice (at most 10 MiB; stored with its SHA-256)"),
            OptionSpec(name: "version", value: "N", help: "the version posted (default: the approved one)"),
            .user, .json,
        ],
        discussion: """
            Posters and printers confirm (admins too). A notice must be posted in its township and in every village
            its parcels lie in; its posting period runs from the last place's confirmed posting. Audited as
            posting.confirm.
            """
    ) { inv, ctx in
        let version = try inv.positiveInt("version")
        let postedOn = try inv.date("posted-on")
        var photo: [UInt8]?
        if let path = inv.option("photo") {
            photo = try PhotoFile.read(path)
        }
        let confirmation = try await ctx.withStore { store in
            try await ctx.workflow(store).confirmPosting(
                inv.argument("ID"), version: version, place: inv.option("place") ?? "", board: inv.option("board") ?? "",
                postedOn: postedOn, photo: photo, as: inv.user)
        }
        if inv.json {
            try ctx.output.json(confirmation)
        } else {
            let hash = confirmation.photoSHA256.map { " photo sha256:\($0)" } ?? ""
            ctx.output.line("confirmed \(confirmation.noticeID)/v\(confirmation.version) posted at \(confirmation.place.id) (\(confirmation.board)) on \(confirmation.postedOn)\(hash)")
        }
    }
}

extension Invocation {
    /// An option that must be a calendar date `YYYY-MM-DD`.
    func date(_ name: String) throws(UsageError) -> CivilDate? {
        guard let text = options[name] else { return nil }
        guard let date = CivilDate(iso: text) else { throw UsageError("--\(name) must be a date YYYY-MM-DD, not '\(text)'") }
        return date
    }
}

/// Reads a posting photo, refusing a file over the limit before reading it whole.
enum PhotoFile {
    static func read(_ path: String) throws -> [UInt8] {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw UsageError("--photo: no readable file at '\(path)'")
        }
        if let size = attributes[.size] as? Int, size > PostingPhoto.maxBytes {
            throw ValidationError(field: "photo", "\(path) is \(size) bytes, at most \(PostingPhoto.maxBytes) (10 MiB) allowed")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw UsageError("--photo: cannot read '\(path)'") }
        return Array(data)
    }
}
