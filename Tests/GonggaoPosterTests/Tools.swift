import Foundation
import Testing

/// External checkers (zbar-tools, poppler-utils). Tests that need them run when they are installed,
/// and always when `CI=true` — where a missing tool is a failure, never a skip.
enum Tools {
    static let isCI = isCI(ProcessInfo.processInfo.environment)

    /// `CI=true` (or `1`, `yes`): the lead's .ci/run and CI services set it.
    static func isCI(_ environment: [String: String]) -> Bool {
        ["true", "1", "yes"].contains((environment["CI"] ?? "").lowercased())
    }

    static func path(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static let checkers = ["zbarimg", "pdftoppm", "pdftotext", "pdffonts", "pdfinfo"]
    static var installed: Bool { checkers.allSatisfy { path($0) != nil } }
    /// Condition for `.enabled(if:)`: run when the tools exist, and in CI regardless (to fail loudly).
    static var shouldRun: Bool { shouldRun(installed: installed, ci: isCI) }
    static func shouldRun(installed: Bool, ci: Bool) -> Bool { installed || ci }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `tool` with `arguments`; returns stdout. Throws when the tool is missing or exits non-zero.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String], allowFailure: Bool = false) throws -> String {
        guard let executable = path(tool) else {
            throw Failure(description: "\(tool) is not installed (apt-get install zbar-tools poppler-utils)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus != 0 && !allowFailure {
            throw Failure(
                description: "\(tool) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): "
                    + String(decoding: errors, as: UTF8.self))
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// What zbarimg decodes from a PNG (trailing newline removed).
    static func decodeQR(_ png: URL) throws -> String {
        var text = try run("zbarimg", ["--nodbus", "-q", "--raw", png.path], allowFailure: true)
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    /// Renders one page of a PDF with pdftoppm at `dpi` to PNG; returns the file.
    static func rasterize(_ pdf: URL, page: Int, dpi: Int, gray: Bool = false) throws -> URL {
        let base = pdf.deletingPathExtension().path + "-r\(dpi)-p\(page)"
        var arguments = ["-r", String(dpi), "-f", String(page), "-l", String(page), "-singlefile"]
        arguments += gray ? ["-gray"] : ["-png"]
        try run("pdftoppm", arguments + [pdf.path, base])
        return URL(fileURLWithPath: base + (gray ? ".pgm" : ".png"))
    }
}

/// Minimal PNG chunk reader for tests.
struct PNGChunks {
    var chunks: [(type: String, data: [UInt8])] = []

    init(_ bytes: [UInt8]) throws {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard Array(bytes.prefix(8)) == signature else { throw Tools.Failure(description: "not a PNG signature") }
        var offset = 8
        while offset + 12 <= bytes.count {
            let length = Int(Self.u32(bytes, offset))
            let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
            guard offset + 12 + length <= bytes.count else { throw Tools.Failure(description: "truncated \(type)") }
            chunks.append((type, Array(bytes[offset + 8..<offset + 8 + length])))
            offset += 12 + length
            if type == "IEND" { break }
        }
    }

    static func u32(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
    }

    func first(_ type: String) -> [UInt8]? { chunks.first { $0.type == type }?.data }

    var width: Int { Int(Self.u32(first("IHDR")!, 0)) }
    var height: Int { Int(Self.u32(first("IHDR")!, 4)) }
    var bitDepth: Int { Int(first("IHDR")![8]) }
    var colorType: Int { Int(first("IHDR")![9]) }

    /// Pixels per metre (x, y) and unit (1 = metre).
    var physical: (x: UInt32, y: UInt32, unit: UInt8)? {
        guard let p = first("pHYs"), p.count == 9 else { return nil }
        return (Self.u32(p, 0), Self.u32(p, 4), p[8])
    }

    /// tEXt and iTXt chunks as key → text.
    var texts: [String: String] {
        var result: [String: String] = [:]
        for (type, data) in chunks where type == "tEXt" || type == "iTXt" {
            guard let zero = data.firstIndex(of: 0) else { continue }
            let key = String(decoding: data[..<zero], as: UTF8.self)
            if type == "tEXt" {
                result[key] = String(decoding: data[(zero + 1)...], as: UTF8.self)
            } else {
                // iTXt: key\0 flag method lang\0 translated\0 text
                var i = zero + 3
                for _ in 0..<2 { i = (data[i...].firstIndex(of: 0) ?? data.count) + 1 }
                result[key] = String(decoding: data[i...], as: UTF8.self)
            }
        }
        return result
    }
}
