// gonggao-bench: renders the sample pre-announcement through GonggaoPoster, for bench/poster.sh and
// for looking at the output.
//
//   gonggao-bench render  SAMPLE.json TEMPLATE.json OUTDIR [NOTICE_INDEX]   write poster.pdf + poster-N.png
//                         (env DPI=150, SEAL=seal.png)
//   gonggao-bench poster  SAMPLE.json TEMPLATE.json RUNS                    time PDF + 150 dpi PNG per run
//   gonggao-bench qr      URL RUNS                                          time QR encode + 1-bit PNG per run
//
// Each run prints "wall_ms cpu_ms" (process CPU time: steadier on a shared machine), after one untimed
// warm-up run (font loading).
import Foundation
import GonggaoCore
import GonggaoPoster

struct SampleNotice: Decodable {
    var kind: NoticeKind
    var title: String
    var issuer: String
    var documentNumber: String
    var dateWritten: CivilDate
    var parcels: [String]
    var body: [String]
}

struct Sample: Decodable { var notices: [SampleNotice] }

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("gonggao-bench: \(message)\n".utf8))
    exit(2)
}

func loadInput(samplePath: String, index: Int) throws -> PosterInput {
    guard let data = FileManager.default.contents(atPath: samplePath) else { fail("cannot read \(samplePath)") }
    let project = try JSONDecoder().decode(ProjectFile.self, from: data).project
    let notice = try JSONDecoder().decode(Sample.self, from: data).notices[index]
    let content = NoticeContent(
        project: project.key, kind: notice.kind, title: notice.title, issuer: notice.issuer,
        documentNumber: notice.documentNumber, dateWritten: notice.dateWritten,
        parcels: notice.parcels, body: notice.body)
    return PosterInput(
        noticeID: "ntc_3k9v0q7m2xwe", version: 1, content: content, contentHash: content.contentHash,
        project: project, qrURL: PosterInput.parcelPageURL(base: "https://gg.anji.gov.cn", content: content),
        postingPeriod: "本公告张贴期限不少于十个工作日。",
        approvedAt: Date(timeIntervalSince1970: 1_796_090_400))
}

/// Wall and process CPU time of `body`, in milliseconds, as "wall cpu".
func timed(_ body: () throws -> Void) rethrows -> String {
    func ms(_ clock: clockid_t) -> Double {
        var t = timespec()
        clock_gettime(clock, &t)
        return Double(t.tv_sec) * 1e3 + Double(t.tv_nsec) / 1e6
    }
    let wall = ms(CLOCK_MONOTONIC)
    let cpu = ms(CLOCK_PROCESS_CPUTIME_ID)
    try body()
    return String(format: "%.3f %.3f", ms(CLOCK_MONOTONIC) - wall, ms(CLOCK_PROCESS_CPUTIME_ID) - cpu)
}

let args = CommandLine.arguments
guard args.count >= 2 else { fail("usage: gonggao-bench render|poster|qr …") }
do {
    switch args[1] {
    case "render":
        guard args.count >= 5 else { fail("usage: gonggao-bench render SAMPLE TEMPLATE OUTDIR [INDEX]") }
        var input = try loadInput(samplePath: args[2], index: args.count > 5 ? Int(args[5]) ?? 0 : 0)
        if let seal = ProcessInfo.processInfo.environment["SEAL"] { input.seal = try SealImage(contentsOfFile: seal) }
        let renderer = try PosterRenderer(template: try PosterTemplate.load(path: args[3]))
        let dpi = Int(ProcessInfo.processInfo.environment["DPI"] ?? "150") ?? 150
        let poster = try renderer.render(input, format: .both, dpi: dpi)
        try FileManager.default.createDirectory(atPath: args[4], withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: args[4] + "/poster.pdf", contents: Data(poster.pdf!))
        for (i, png) in poster.pngPages.enumerated() {
            FileManager.default.createFile(atPath: args[4] + "/poster-\(i + 1).png", contents: Data(png))
        }
        print(
            "pages \(poster.pageCount), qr v\(poster.qr.version) \(poster.qr.moduleMM) mm/module, code \(poster.verificationCode)"
        )
    case "poster":
        guard args.count >= 5, let runs = Int(args[4]) else { fail("usage: gonggao-bench poster SAMPLE TEMPLATE RUNS") }
        let input = try loadInput(samplePath: args[2], index: 0)
        let renderer = try PosterRenderer(template: try PosterTemplate.load(path: args[3]))
        // FORMAT=pdf|png|both (default both, the measure).
        let format: PosterFormat = switch ProcessInfo.processInfo.environment["FORMAT"] {
        case "pdf": .pdf
        case "png": .png
        default: .both
        }
        _ = try renderer.render(input, format: format, dpi: 150)
        for _ in 0..<runs {
            print(try timed { _ = try renderer.render(input, format: format, dpi: 150) })
        }
    case "qr":
        guard args.count >= 4, let runs = Int(args[3]) else { fail("usage: gonggao-bench qr URL RUNS [FILE]") }
        let png = try QRMatrix.encode(url: args[2]).png(scale: 8)
        // With FILE, the untimed warm-up's PNG is written for the same checks as the C anchor's.
        if args.count >= 5 { try Data(png).write(to: URL(fileURLWithPath: args[4])) }
        for _ in 0..<runs {
            print(try timed { _ = try QRMatrix.encode(url: args[2]).png(scale: 8) })
        }
    default:
        fail("unknown mode \(args[1])")
    }
} catch {
    fail("\(error)")
}
