import Foundation
import GonggaoCrypto

/// What the caller asks to append; the store assigns `seq`, `prevHash` and `hash`.
public struct AuditRecord: Sendable, Equatable {
    public var at: Date
    public var actor: String
    public var action: String
    /// What the action was done to, e.g. `ntc_…/v1` or a project key.
    public var subject: String
    /// Free-form detail (a reason, a delivery count); never a secret.
    public var detail: String

    public init(at: Date, actor: String, action: String, subject: String, detail: String = "") {
        self.at = at
        self.actor = actor
        self.action = action
        self.subject = subject
        self.detail = detail
    }
}

/// One entry of the append-only audit log; `hash` covers every field and the previous entry's hash.
public struct AuditEntry: Codable, Sendable, Equatable {
    public var seq: Int64
    /// Milliseconds since 1970 (UTC), the precision stored and hashed.
    public var atMillis: Int64
    public var actor: String
    public var action: String
    public var subject: String
    public var detail: String
    public var prevHash: String
    public var hash: String

    public init(seq: Int64, atMillis: Int64, actor: String, action: String, subject: String, detail: String,
                prevHash: String, hash: String) {
        self.seq = seq
        self.atMillis = atMillis
        self.actor = actor
        self.action = action
        self.subject = subject
        self.detail = detail
        self.prevHash = prevHash
        self.hash = hash
    }

    public var at: Date { Date(timeIntervalSince1970: Double(atMillis) / 1000) }
}

/// The hash chain: how an entry's hash is computed and how a chain is checked.
public enum AuditChain {
    /// The `prevHash` of the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// The entry that follows `previous` (nil for the first) with `record`'s content.
    public static func entry(after previous: AuditEntry?, _ record: AuditRecord) -> AuditEntry {
        let seq = (previous?.seq ?? 0) + 1
        let prev = previous?.hash ?? genesis
        let millis = Int64((record.at.timeIntervalSince1970 * 1000).rounded())
        var e = AuditEntry(seq: seq, atMillis: millis, actor: record.actor, action: record.action,
                           subject: record.subject, detail: record.detail, prevHash: prev, hash: "")
        e.hash = hash(of: e)
        return e
    }

    /// SHA-256 over the length-prefixed fields of `e` (its own `hash` excluded).
    public static func hash(of e: AuditEntry) -> String {
        let fields = ["\(e.seq)", "\(e.atMillis)", e.actor, e.action, e.subject, e.detail, e.prevHash]
        let canonical = "gonggao-audit-v1\n" + fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "\n")
        return GonggaoCrypto.sha256Hex(canonical)
    }
}
