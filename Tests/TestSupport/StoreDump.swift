import Foundation
import GonggaoCore
import GonggaoStore

/// A logical dump of everything a store holds, to compare a store before and after a refused action.
///
/// Lists projects, every version of every notice, deliveries with their attempts, the audit chain
/// channel pauses, the audit chain and the recorded audit head, one JSON line each with sorted keys.
public enum StoreDump {
    public static func text(_ store: any NoticeStore) async throws -> String {
        let head = try store.auditHead.read()
        let body = try await store.read { tx in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.dateEncodingStrategy = .millisecondsSince1970
            func line<T: Encodable>(_ value: T) throws -> String {
                String(decoding: try encoder.encode(value), as: UTF8.self)
            }
            var out: [String] = []
            out.append("# projects")
            for p in try tx.projects() { out.append(try line(p)) }
            out.append("# notices")
            let ids = try tx.notices(NoticeFilter(limit: 1_000_000)).map(\.id).sorted()
            for id in ids {
                for v in try tx.noticeVersions(id) { out.append(try line(v)) }
            }
            out.append("# deliveries")
            for d in try tx.deliveries(DeliveryFilter(limit: 1_000_000)) {
                out.append(try line(d))
                for a in try tx.attempts(deliveryID: d.id) { out.append("  attempt " + (try line(a))) }
            }
            out.append("# channels")
            for c in try tx.channelStates() { out.append(try line(c)) }
            out.append("# postings, payments, warnings")
            for id in ids {
                for p in try tx.postings(noticeID: id) { out.append(try line(p)) }
            }
            for p in try tx.projects() {
                for pay in try tx.payments(project: p.key) { out.append(try line(pay)) }
            }
            for w in try tx.warnings(WarningFilter(limit: 1_000_000)).sorted(by: { $0.id < $1.id }) { out.append(try line(w)) }
            out.append("# audit")
            var after: Int64 = 0
            while true {
                let page = try tx.auditEntries(after: after, limit: 500)
                for e in page { out.append(try line(e)) }
                guard let last = page.last else { break }
                after = last.seq
            }
            return out.joined(separator: "\n")
        }
        return body + "\n# head\n" + (head?.description ?? "none") + "\n"
    }
}
