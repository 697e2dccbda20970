import Dispatch
import Foundation
import GonggaoCrypto
#if canImport(Glibc)
import Glibc
#endif

/// A print station's spool folder: `<root>/<county>/<township>/` holds, per poster, `<base>.pdf`,
/// `<base>-p1.png` … `<base>-p<n>.png` (one per page) and `<base>.json`, the manifest; `<base>` is
/// `<notice>-v<version>` for a publication and `<notice>-v<version>-withdrawal` for a withdrawal notice.
///
/// Every file is written to a temporary name in the same folder, synced, then renamed, so a station
/// watching the folder never reads half a file; the manifest comes last and names the others with
/// their SHA-256. Writing the same version again replaces the files with identical bytes.
public struct SpoolFolder: Sendable {
    public let root: String

    public init(root: String) { self.root = root }

    /// One spooled poster's manifest (`<base>.json`, keys sorted).
    public struct Manifest: Codable, Sendable, Equatable {
        public var noticeID: String
        public var version: Int
        /// The notice kind (`pre-announcement`, …).
        public var kind: String
        /// `create`, `update` (a correction, marked 更正) or `withdraw` (a 撤回公告).
        public var operation: String
        /// `A4` or `A3`.
        public var paper: String
        /// Pages of the PDF; there is one PNG per page.
        public var pages: Int
        /// The PNG pages' resolution (absent when no PNG was written).
        public var dpi: Int?
        public var parcels: [String]
        /// File name → hex SHA-256 of its bytes, for every file of this poster but the manifest.
        public var files: [String: String]
        /// Code points printed without a glyph (rendered with --allow-missing-glyphs); absent when none.
        public var missingGlyphs: [String]?
        /// True while the PNG preview pages are still being rendered (the PDF, ready to print, is
        /// spooled first); absent once they are written and named in `files`.
        public var previewsPending: Bool?

        public init(noticeID: String, version: Int, kind: String, operation: String, paper: String, pages: Int,
                    dpi: Int?, parcels: [String], files: [String: String], missingGlyphs: [String]? = nil,
                    previewsPending: Bool? = nil) {
            self.noticeID = noticeID
            self.version = version
            self.kind = kind
            self.operation = operation
            self.paper = paper
            self.pages = pages
            self.dpi = dpi
            self.parcels = parcels
            self.files = files
            self.missingGlyphs = missingGlyphs
            self.previewsPending = previewsPending
        }
    }

    /// Writes the files (`<baseName><suffix>`, e.g. `-p1.png`) and then the manifest; returns the manifest's path.
    public func write(county: String, township: String, baseName: String, files: [(suffix: String, bytes: [UInt8])],
                      manifest: Manifest) throws -> String {
        let folder = folder(county: county, township: township)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var m = manifest
        for file in files {
            let name = baseName + file.suffix
            try Self.writeAtomically(file.bytes, to: "\(folder)/\(name)")
            m.files[name] = GonggaoCrypto.hex(GonggaoCrypto.sha256(file.bytes))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let manifestPath = "\(folder)/\(baseName).json"
        try Self.writeAtomically(Array(try encoder.encode(m)), to: manifestPath)
        Self.syncDirectory(folder)
        return manifestPath
    }

    /// `<root>/<county>/<township>`, each part made safe for a path.
    public func folder(county: String, township: String) -> String {
        [root, Self.safeComponent(county), Self.safeComponent(township)].joined(separator: "/")
    }

    /// Runs blocking file work (writes and fsyncs) on a Dispatch thread, off the cooperative pool.
    public static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, any Error>) in
            DispatchQueue.global().async { c.resume(with: Result { try work() }) }
        }
    }

    /// Why a spool write failed (disk full, permissions): the path and the system's reason.
    public struct WriteError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Writes `bytes` to `path` through a temporary file, fsync and rename: a reader sees the old file or the whole new one.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let tmp = path + ".tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WriteError(path: tmp, reason: String(cString: strerror(errno))) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(fd)
                unlink(tmp)
                throw WriteError(path: tmp, reason: reason)
            }
            offset += n
        }
        guard fsync(fd) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            unlink(tmp)
            throw WriteError(path: tmp, reason: reason)
        }
        close(fd)
        guard rename(tmp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw WriteError(path: path, reason: reason)
        }
    }

    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }

    /// A folder name from a place name: no separators, no leading dot.
    static func safeComponent(_ s: String) -> String {
        let cleaned = s.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "\0", with: "")
        return cleaned.isEmpty || cleaned.hasPrefix(".") ? "_" + cleaned : cleaned
    }
}
