import Foundation

/// The external checkers tests read posters with (poppler-utils, zbar-tools), run with `posix_spawn`.
///
/// Tests that need them run when they are installed, and always under `CI` (`CI=true` or `CI=1`):
/// there a missing tool is a failure naming the package to install, never a skip.
public enum ExternalTools {
    /// True when the environment says this is a CI run.
    public static func isCI(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        ["true", "1", "yes"].contains((environment["CI"] ?? "").lowercased())
    }

    /// The executable called `name` on `PATH` (or in /usr/bin), if any.
    public static func path(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        for dir in (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") + ["/usr/bin"] {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Whether a test that needs `tools` should run: when all are installed, and always in CI.
    public static func shouldRun(_ tools: [String], environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        isCI(environment) || tools.allSatisfy { path($0, environment: environment) != nil }
    }

    /// The Debian package that ships `tool`, for the failure message.
    static func package(of tool: String) -> String {
        switch tool {
        case "zbarimg": "zbar-tools"
        case "pdftotext", "pdftoppm", "pdffonts", "pdfinfo": "poppler-utils"
        case "ippeveprinter": "cups-ipp-utils"
        default: tool
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs `tool` to its end; returns stdout. Throws when the tool is missing, or exits non-zero
    /// unless `allowFailure`.
    @discardableResult
    public static func run(_ tool: String, _ arguments: [String], allowFailure: Bool = false) async throws -> String {
        guard let executable = path(tool) else {
            throw Failure(description: "\(tool) is not installed (apt-get install \(package(of: tool)))")
        }
        let scratch = FileManager.default.temporaryDirectory
        let result = try await ProcessRunner.run(executable, arguments, environment: ProcessInfo.processInfo.environment,
                                                 directory: scratch, scratch: scratch, timeout: .seconds(60))
        if result.status != 0 && !allowFailure {
            throw Failure(description: "\(tool) \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        return result.stdout
    }

    /// The text of a PDF, every whitespace removed (pdftotext breaks lines where the layout does).
    public static func pdfText(_ pdf: String) async throws -> String {
        try await run("pdftotext", [pdf, "-"]).filter { !$0.isWhitespace }
    }

    /// `pdfinfo`'s fields (`Pages`, `Keywords`, `Page size`, …).
    public static func pdfInfo(_ pdf: String) async throws -> [String: String] {
        var fields: [String: String] = [:]
        for line in try await run("pdfinfo", [pdf]).split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return fields
    }

    /// What zbarimg decodes from an image (trailing newlines removed; empty when nothing).
    public static func decodeQR(_ image: String) async throws -> String {
        var text = try await run("zbarimg", ["--nodbus", "-q", "--raw", image], allowFailure: true)
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    /// A PNG's width, height and pixels per metre (pHYs), read from its chunks.
    public static func pngGeometry(_ bytes: [UInt8]) -> (width: Int, height: Int, pixelsPerMetre: Int?)? {
        func u32(_ i: Int) -> Int { Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3]) }
        guard bytes.count > 33, bytes[0] == 0x89, bytes[1] == 0x50 else { return nil }
        var offset = 8
        var size: (Int, Int)?
        var ppm: Int?
        while offset + 12 <= bytes.count {
            let length = u32(offset)
            let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
            if type == "IHDR" { size = (u32(offset + 8), u32(offset + 12)) }
            if type == "pHYs" && length == 9 { ppm = u32(offset + 8) }
            if type == "IDAT" || type == "IEND" { break }
            offset += 12 + length
        }
        return size.map { ($0.0, $0.1, ppm) }
    }
}
