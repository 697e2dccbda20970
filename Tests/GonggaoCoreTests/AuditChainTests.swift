import Foundation
import GonggaoCore
import TestSupport
import Testing

/// The audit hash chain and its verifier, without a store.
@Suite struct AuditChainTests {
    /// A chain of `count` entries, one second apart from the fixed test instant.
    static func chain(_ count: Int = 6) -> [AuditEntry] {
        var entries: [AuditEntry] = []
        for i in 0..<count {
            let record = AuditRecord(
                at: Fixtures.t0.addingTimeInterval(Double(i)), actor: i.isMultiple(of: 2) ? "alice" : "bob",
                action: "notice.step\(i)", subject: "ntc_test00000000/v1", detail: "detail \(i)")
            entries.append(AuditChain.entry(after: entries.last, record))
        }
        return entries
    }

    static func head(of e: AuditEntry) -> AuditHead { AuditHead(seq: e.seq, hash: e.hash) }

    /// Feeds `entries` and finishes against `head`, looking the head's entry up among `entries`.
    static func verify(_ entries: [AuditEntry], head: AuditHead?) -> AuditVerifier {
        var v = AuditVerifier()
        for e in entries { v.feed(e) }
        v.finish(head: head, entryAtHead: head.flatMap { h in entries.first { $0.seq == h.seq } })
        return v
    }

    /// Recomputes every hash from `from` on, as someone rewriting the chain would.
    static func rehash(_ entries: inout [AuditEntry]) {
        for i in entries.indices {
            entries[i].prevHash = i == 0 ? AuditChain.genesis : entries[i - 1].hash
            entries[i].hash = AuditChain.hash(of: entries[i])
        }
    }

    @Test func entriesLinkToTheirPredecessor() {
        let entries = Self.chain()
        #expect(entries.map(\.seq) == [1, 2, 3, 4, 5, 6])
        #expect(entries[0].prevHash == AuditChain.genesis)
        #expect(AuditChain.genesis == String(repeating: "0", count: 64))
        for i in 1..<entries.count { #expect(entries[i].prevHash == entries[i - 1].hash) }
        #expect(Set(entries.map(\.hash)).count == entries.count)
        #expect(entries[2].atMillis == Int64(Fixtures.t0.timeIntervalSince1970 * 1000) + 2000)
        #expect(entries[2].at == Fixtures.t0.addingTimeInterval(2))
    }

    /// A fixed entry's hash; changing it would invalidate every stored chain.
    @Test func theEntryHashIsStable() {
        let e = AuditChain.entry(
            after: nil,
            AuditRecord(
                at: Date(timeIntervalSince1970: 1_796_090_400.123), actor: "bob",
                action: "notice.approve", subject: "ntc_abc/v1", detail: "审批"))
        #expect(e.atMillis == 1_796_090_400_123)
        #expect(e.hash == "cbf8b3d82458ffcf9035c8fc158370e559fbc7b98a8e00757f4e422a6c6a9f03")
    }

    @Test func aValidChainVerifies() {
        let entries = Self.chain()
        let v = Self.verify(entries, head: Self.head(of: entries.last!))
        #expect(v.isValid, "\(v.problems)")
        #expect(v.count == 6)
        #expect(v.lastEntry == entries.last)
    }

    @Test func anEmptyChainWithoutHeadVerifies() {
        #expect(Self.verify([], head: nil).isValid)
        #expect(Self.verify([], head: AuditHead(seq: 0, hash: AuditChain.genesis)).isValid)
    }

    @Test func anEditedRowBreaksItsHash() {
        var entries = Self.chain()
        entries[2].detail = "detail 2 (edited)"
        #expect(Self.verify(entries, head: Self.head(of: entries.last!)).problems == [.hashMismatch(seq: 3)])
    }

    @Test(arguments: ["actor", "action", "subject", "detail"])
    func editingAnyTextFieldIsDetected(field: String) {
        var entries = Self.chain()
        switch field {
        case "actor": entries[3].actor += "x"
        case "action": entries[3].action += "x"
        case "subject": entries[3].subject += "x"
        default: entries[3].detail += "x"
        }
        #expect(Self.verify(entries, head: Self.head(of: entries.last!)).problems == [.hashMismatch(seq: 4)])
    }

    @Test func anEditedTimeIsDetected() {
        var entries = Self.chain()
        entries[1].atMillis += 1
        #expect(Self.verify(entries, head: Self.head(of: entries.last!)).problems == [.hashMismatch(seq: 2)])
    }

    @Test func anEditedRowWithItsOwnHashRecomputedBreaksTheNextLink() {
        var entries = Self.chain()
        entries[2].detail = "forged"
        entries[2].hash = AuditChain.hash(of: entries[2])
        #expect(Self.verify(entries, head: Self.head(of: entries.last!)).problems == [.brokenLink(seq: 4)])
    }

    @Test func aDeletedRowLeavesAGap() {
        var entries = Self.chain()
        entries.remove(at: 2)
        #expect(Self.verify(entries, head: Self.head(of: entries.last!)).problems == [.gap(expected: 3, found: 4)])
    }

    @Test func aDeletedFirstRowLeavesAGap() {
        var entries = Self.chain()
        entries.removeFirst()
        #expect(Self.verify(entries, head: Self.head(of: entries.last!)).problems == [.gap(expected: 1, found: 2)])
    }

    @Test func aTruncatedTailFallsShortOfTheHead() {
        let entries = Self.chain()
        let head = Self.head(of: entries.last!)
        #expect(Self.verify(Array(entries.dropLast(2)), head: head).problems == [.truncated(headSeq: 6, storeLast: 4)])
        #expect(Self.verify([], head: head).problems == [.truncated(headSeq: 6, storeLast: 0)])
    }

    @Test func aWhollyRecomputedChainDiffersFromTheHead() {
        let original = Self.chain()
        var entries = original
        entries[1].detail = "rewritten history"
        Self.rehash(&entries)
        var inner = AuditVerifier()
        for e in entries { inner.feed(e) }
        #expect(inner.problems.isEmpty, "the rewritten chain is internally consistent")
        #expect(Self.verify(entries, head: Self.head(of: original.last!)).problems == [.headMismatch(seq: 6)])
    }

    @Test func aRecomputedChainTruncatedBelowTheHeadIsCaught() {
        let original = Self.chain()
        var entries = Array(original.dropLast())
        entries[0].actor = "mallory"
        Self.rehash(&entries)
        #expect(
            Self.verify(entries, head: Self.head(of: original.last!)).problems == [.truncated(headSeq: 6, storeLast: 5)]
        )
    }

    @Test func aStoreAheadOfItsHeadIsReported() {
        let entries = Self.chain()
        #expect(
            Self.verify(entries, head: Self.head(of: entries[3])).problems == [.aheadOfHead(headSeq: 4, storeLast: 6)])
        #expect(
            Self.verify(entries, head: AuditHead(seq: 0, hash: AuditChain.genesis)).problems
                == [.aheadOfHead(headSeq: 0, storeLast: 6)])
    }

    @Test func aMissingHeadIsReported() {
        #expect(Self.verify(Self.chain(), head: nil).problems == [.headMissing(storeLast: 6)])
    }

    @Test func problemsReadAsOneLine() {
        let problems: [AuditProblem] = [
            .gap(expected: 3, found: 4), .brokenLink(seq: 4), .hashMismatch(seq: 3),
            .headMissing(storeLast: 6), .truncated(headSeq: 6, storeLast: 4),
            .headMismatch(seq: 6), .aheadOfHead(headSeq: 4, storeLast: 6),
        ]
        for p in problems { #expect(!p.description.isEmpty && !p.description.contains("\n")) }
        #expect(AuditProblem.truncated(headSeq: 6, storeLast: 4).description.contains("truncated"))
    }

    @Test func theHeadLineRoundTrips() throws {
        let head = Self.head(of: Self.chain().last!)
        #expect(AuditHead(line: head.description + "\n") == head)
        #expect(head.description == "6 \(head.hash)")
        #expect(AuditHead(line: "") == nil)
        #expect(AuditHead(line: "6") == nil)
        #expect(AuditHead(line: "six \(head.hash)") == nil)
        #expect(AuditHead(line: "6 abc") == nil)
        #expect(AuditHead(line: "6 \(head.hash) extra") == nil)
    }
}
