import Foundation

/// Where the built `gonggao` executable is, for tests that run it as a user would.
public enum GonggaoBinary {
    /// The repository root (this file is Tests/TestSupport/CLI/GonggaoBinary.swift).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `$GONGGAO_BIN`, else `gonggao` beside the running test bundle (SwiftPM puts both in one
    /// build folder), else `.build/debug/gonggao` in the repository.
    public static let path: String = {
        let fm = FileManager.default
        if let override = ProcessInfo.processInfo.environment["GONGGAO_BIN"], fm.isExecutableFile(atPath: override) {
            return override
        }
        var candidates: [URL] = []
        if let exe = try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
            // On Linux the test bundle is an executable in the build folder; on macOS it is a bundle.
            for _ in 0..<4 {
                candidates.append(dir.appendingPathComponent("gonggao"))
                dir = dir.deletingLastPathComponent()
            }
        }
        candidates.append(repositoryRoot.appendingPathComponent(".build/debug/gonggao"))
        for url in candidates where fm.isExecutableFile(atPath: url.path) && !isDirectory(url) {
            return url.path
        }
        return candidates.last!.path
    }()

    private static func isDirectory(_ url: URL) -> Bool {
        var flag: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &flag) && flag.boolValue
    }

    /// A file under Config/samples/ of the repository.
    public static func sample(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("Config/samples/\(name)").path
    }
}
