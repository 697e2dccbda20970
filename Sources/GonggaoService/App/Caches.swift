import Foundation
import GonggaoCore
import GonggaoHTTP
import GonggaoStore
import Synchronization

/// Rendered posters by (version, content hash, state, type), bounded by total bytes (oldest out).
final class PosterCache: Sendable {
    private struct State {
        var entries: [String: [UInt8]] = [:]
        var order: [String] = []
        var bytes = 0
    }

    private let state = Mutex(State())
    let maxBytes: Int

    init(maxBytes: Int = 64 << 20) { self.maxBytes = maxBytes }

    func get(_ key: String) -> [UInt8]? { state.withLock { $0.entries[key] } }

    func put(_ key: String, _ value: [UInt8]) {
        guard value.count <= maxBytes / 4 else { return }
        state.withLock { s in
            if let old = s.entries.updateValue(value, forKey: key) {
                s.bytes -= old.count
            } else {
                s.order.append(key)
            }
            s.bytes += value.count
            while s.bytes > maxBytes, !s.order.isEmpty {
                let oldest = s.order.removeFirst()
                s.bytes -= s.entries.removeValue(forKey: oldest)?.count ?? 0
            }
        }
    }
}

/// Rendered parcel pages by key, valid while the store's audit log has not moved (every change a
/// page shows — an approval, a withdrawal, a project import — appends an audit entry, also when
/// made by another process on the same store).
final class PageCache: Sendable {
    struct Page: Sendable {
        let auditSeq: Int64
        let body: [UInt8]
        let etag: String
    }

    private let pages = Mutex<[String: Page]>([:])
    let maxPages: Int

    init(maxPages: Int = 2_048) { self.maxPages = maxPages }

    func get(_ key: String, auditSeq: Int64) -> Page? {
        pages.withLock { p in
            guard let page = p[key], page.auditSeq == auditSeq else { return nil }
            return page
        }
    }

    func put(_ key: String, _ page: Page) {
        pages.withLock { p in
            if p.count >= maxPages { p = p.filter { $0.value.auditSeq == page.auditSeq } }
            if p.count >= maxPages { p.removeAll() }
            p[key] = page
        }
    }
}

/// Notices' versions as the API shows them (`VersionView` JSON), by notice and version, reused while
/// the stored version equals the one encoded: an edit, approval, supersession or withdrawal changes
/// the stored value and so encodes it again. Only immutable parts are cached — a notice's deliveries
/// are encoded afresh on every read.
final class VersionJSONCache: Sendable {
    private struct Entry: Sendable {
        let version: NoticeVersion
        let parcelPage: String
        let json: [UInt8]
    }

    private let entries = Mutex<[String: Entry]>([:])
    let maxEntries: Int

    init(maxEntries: Int = 4_096) { self.maxEntries = maxEntries }

    /// The JSON of `view` (a function of its version and parcel-page URL alone).
    func json(_ view: VersionView) throws -> [UInt8] {
        let key = "\(view.version.id)/\(view.version.version)"
        if let hit = entries.withLock({ $0[key] }), hit.version == view.version, hit.parcelPage == view.parcelPage {
            return hit.json
        }
        let json = Array(try JSONCoding.encoder.encode(view))
        entries.withLock { e in
            if e.count >= maxEntries { e.removeAll(keepingCapacity: true) }
            e[key] = Entry(version: view.version, parcelPage: view.parcelPage, json: json)
        }
        return json
    }
}

/// Values read from the store, served again only while the store's change stamp is the one read
/// before them (`StoreChangeStamp`: nothing was committed since, by this process or another).
/// Every entry shares one stamp; the first `put` under a new stamp drops the others. With no stamp
/// (a backend that cannot tell cheaply) nothing is kept.
final class StampedCache<Value: Sendable>: Sendable {
    private struct State {
        var stamp: StoreChangeStamp?
        var entries: [String: Value] = [:]
    }

    private let state = Mutex(State())
    let maxEntries: Int

    init(maxEntries: Int) { self.maxEntries = maxEntries }

    /// The value put under `key` at `stamp`, if the cache still holds it.
    func get(_ key: String, at stamp: StoreChangeStamp?) -> Value? {
        guard let stamp else { return nil }
        return state.withLock { $0.stamp == stamp ? $0.entries[key] : nil }
    }

    /// Keeps `value`, read after `stamp` was, until the stamp moves.
    func put(_ key: String, _ value: Value, at stamp: StoreChangeStamp?) {
        guard let stamp else { return }
        state.withLock { s in
            if s.stamp != stamp || s.entries.count >= maxEntries {
                s.stamp = stamp
                s.entries.removeAll(keepingCapacity: true)
            }
            s.entries[key] = value
        }
    }
}
