import Foundation
import GonggaoCore
#if canImport(Glibc)
import Glibc
#endif

/// Where the audit chain's head is recorded outside the store.
public protocol AuditHeadRecorder: Sendable {
    /// Records `head` unless a later head is already recorded (writers in several processes may
    /// finish out of order; the recorded head only moves forward).
    func advance(to head: AuditHead) throws
    /// The recorded head, or nil when none was ever recorded.
    func read() throws -> AuditHead?
}

/// The head as a one-line file beside the store (`<store>.audit-head`), replaced atomically under
/// an exclusive `flock` on `<file>.lock` so concurrent processes never interleave.
public struct AuditHeadFile: AuditHeadRecorder {
    public let path: String

    public init(path: String) { self.path = path }

    /// The head file that belongs beside a store file.
    public init(besideStore storePath: String) { self.init(path: storePath + ".audit-head") }

    public func advance(to head: AuditHead) throws {
        try withLock {
            if let current = try readUnlocked(), current.seq >= head.seq { return }
            try replaceUnlocked(with: head)
        }
    }

    public func read() throws -> AuditHead? {
        try withLock { try readUnlocked() }
    }

    /// Replaces the recorded head outright, even with an earlier one: only for a restore, which
    /// deliberately takes the chain back to a backup's head (and then records itself in it).
    public func reset(to head: AuditHead) throws {
        try withLock { try replaceUnlocked(with: head) }
    }

    private func replaceUnlocked(with head: AuditHead) throws {
        let tmp = path + ".tmp"
        try Data((head.description + "\n").utf8).write(to: URL(fileURLWithPath: tmp))
        let fd = open(tmp, O_RDONLY)
        if fd >= 0 { fsync(fd); close(fd) }
        guard rename(tmp, path) == 0 else { throw StoreError.backend(code: errno, message: "cannot replace the audit head file \(path)") }
    }

    private func readUnlocked() throws -> AuditHead? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let head = AuditHead(line: text) else { throw StoreError.corrupt("the audit head file \(path) is not '<seq> <sha256>'") }
        return head
    }

    private func withLock<T>(_ body: () throws -> T) throws -> T {
        let fd = open(path + ".lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StoreError.backend(code: errno, message: "cannot open the audit head lock \(path).lock") }
        defer { close(fd) }
        guard flock(fd, LOCK_EX) == 0 else { throw StoreError.backend(code: errno, message: "cannot lock \(path).lock") }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}

/// The head kept in memory (for the in-memory store and tests).
public final class MemoryAuditHead: AuditHeadRecorder, @unchecked Sendable {
    // Safe: every access to `head` holds `lock`.
    private let lock = NSLock()
    private var head: AuditHead?

    public init() {}

    public func advance(to newHead: AuditHead) throws {
        lock.withLock { if (head?.seq ?? -1) < newHead.seq { head = newHead } }
    }

    public func read() throws -> AuditHead? { lock.withLock { head } }

    /// Replaces the head outright (tests that simulate tampering).
    public func overwrite(_ newHead: AuditHead?) { lock.withLock { head = newHead } }
}
