/// The head recorded outside the store: the last entry's sequence number and hash.
public struct AuditHead: Codable, Equatable, Sendable, CustomStringConvertible {
    public var seq: Int64
    public var hash: String

    public init(seq: Int64, hash: String) {
        self.seq = seq
        self.hash = hash
    }

    /// `seq hash`, the head file's one line.
    public var description: String { "\(seq) \(hash)" }

    public init?(line: String) {
        let parts = line.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ")
        guard parts.count == 2, let seq = Int64(parts[0]), parts[1].count == 64 else { return nil }
        self.init(seq: seq, hash: String(parts[1]))
    }
}

/// A problem found in the audit chain.
public enum AuditProblem: Equatable, Sendable, CustomStringConvertible {
    case gap(expected: Int64, found: Int64)
    case brokenLink(seq: Int64)
    case hashMismatch(seq: Int64)
    case headMissing(storeLast: Int64)
    case truncated(headSeq: Int64, storeLast: Int64)
    case headMismatch(seq: Int64)
    case aheadOfHead(headSeq: Int64, storeLast: Int64)

    public var description: String {
        switch self {
        case .gap(let e, let f): "entry \(e) is missing (next stored entry is \(f)): a row was deleted"
        case .brokenLink(let s): "entry \(s) does not link to the entry before it: a row was deleted or edited"
        case .hashMismatch(let s): "entry \(s) does not match its hash: the row was edited"
        case .headMissing(let l): "no head file, but the store holds \(l) entries"
        case .truncated(let h, let l): "the head file records entry \(h) but the store ends at \(l): the tail was truncated"
        case .headMismatch(let s): "entry \(s) differs from the head file's hash: the chain was rewritten"
        case .aheadOfHead(let h, let l): "the store holds entries \(h + 1)…\(l) after the recorded head: appended outside Gonggao"
        }
    }
}

/// Checks a chain entry by entry; feed entries in order, then call `finish(head:)`.
public struct AuditVerifier: Sendable {
    public private(set) var problems: [AuditProblem] = []
    public private(set) var count: Int64 = 0
    private var last: AuditEntry?

    public init() {}

    public mutating func feed(_ e: AuditEntry) {
        count += 1
        let expected = (last?.seq ?? 0) + 1
        if e.seq != expected { problems.append(.gap(expected: expected, found: e.seq)) }
        else if e.prevHash != (last?.hash ?? AuditChain.genesis) { problems.append(.brokenLink(seq: e.seq)) }
        if AuditChain.hash(of: e) != e.hash { problems.append(.hashMismatch(seq: e.seq)) }
        last = e
    }

    /// Compares the stored tail with the head recorded outside the store, given the stored entry at
    /// the head's sequence number (if any).
    public mutating func finish(head: AuditHead?, entryAtHead: AuditEntry?) {
        let storeLast = last?.seq ?? 0
        guard let head else {
            if storeLast > 0 { problems.append(.headMissing(storeLast: storeLast)) }
            return
        }
        if head.seq > storeLast { problems.append(.truncated(headSeq: head.seq, storeLast: storeLast)); return }
        if head.seq == 0 { if storeLast > 0 { problems.append(.aheadOfHead(headSeq: 0, storeLast: storeLast)) }; return }
        if entryAtHead?.hash != head.hash { problems.append(.headMismatch(seq: head.seq)) }
        if storeLast > head.seq { problems.append(.aheadOfHead(headSeq: head.seq, storeLast: storeLast)) }
    }

    public var lastEntry: AuditEntry? { last }
    public var isValid: Bool { problems.isEmpty }
}

import Foundation
