import GonggaoCore
import GonggaoStore

/// Stored tokens by hash, reused while the store's change stamp stands: a revocation (or any other
/// commit) by this process or another on the same store moves the stamp, so the next request reads
/// the token again and a revoked token is refused at once. Only tokens found are kept (an unknown
/// token is a failed login, read every time). Expiry is checked by the caller on every request.
final class TokenCache: Sendable {
    private let records = StampedCache<APIToken>(maxEntries: 1_024)

    /// `text` without leading and trailing spaces and tabs (what `trimmingCharacters(in: .whitespaces)`
    /// removes, without Foundation's NSString bridge on every request).
    static func trimmed(_ text: Substring) -> String {
        func blank(_ c: Character) -> Bool {
            c == "\t" || c.unicodeScalars.allSatisfy { $0.properties.generalCategory == .spaceSeparator }
        }
        guard let start = text.firstIndex(where: { !blank($0) }), let end = text.lastIndex(where: { !blank($0) }) else { return "" }
        return String(text[start...end])
    }

    /// The stored token whose SHA-256 is `hash`, valid or not.
    func record(hash: String, in store: any NoticeStore) async throws -> APIToken? {
        let stamp = try await RequestStamp.read(store)
        if let hit = records.get(hash, at: stamp) { return hit }
        let record = try await store.read { tx in try tx.token(hash: hash) }
        if let record { records.put(hash, record, at: stamp) }
        return record
    }
}
