import Foundation
import GonggaoCore
import GonggaoCrypto
import GonggaoHTTP

extension ServiceApp {
    /// Headers of every public page: no scripts, no external assets, no referrer.
    static let pageSecurityHeaders: [(String, String)] = [
        ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
    ]

    var pageEndpoints: [Endpoint] {
        [
            Endpoint(.get, "/p/{key}", .everyone) { [self] in try await parcelPage($0) },
            Endpoint(.get, "/p/{key}/notices/{id}/versions/{version:int}/poster.pdf", .everyone) { [self] call in
                try await poster(notice: call.parameter("id"), version: try call.intParameter("version"), type: .pdf,
                                 cacheControl: "public, max-age=3600", coveringKey: call.parameter("key"))
            },
        ]
    }

    /// `/p/{key}`: the page the QR code opens, cached per key until the audit log moves.
    func parcelPage(_ call: Call) async throws -> HTTPResponse {
        let key = call.parameter("key")
        guard PublicRecord.isPlausibleKey(key) else { return try notFoundPage(key) }
        let store = environment.store
        let stamp = try await store.changeStamp()
        let seq: Int64
        if let known = auditSeq.get("", at: stamp) {
            seq = known
        } else {
            seq = try await store.read { tx in try tx.lastAuditEntry()?.seq ?? 0 }
            auditSeq.put("", seq, at: stamp)
        }
        if let cached = pageCache.get(key, auditSeq: seq) { return pageResponse(cached, call.request) }
        let (record, readSeq) = try await store.read { tx in
            (try PublicRecord.read(key, tx), try tx.lastAuditEntry()?.seq ?? 0)
        }
        guard let record else { return try notFoundPage(key) }
        let model = ParcelPageModel(record: record, clock: environment.statutory)
        let html = try environment.pages.render(model.templateName, model.value)
        let body = Array(html.utf8)
        let page = PageCache.Page(auditSeq: readSeq, body: body, etag: "\"" + String(GonggaoCrypto.hex(GonggaoCrypto.sha256(body)).prefix(32)) + "\"")
        pageCache.put(key, page)
        return pageResponse(page, call.request)
    }

    private func pageResponse(_ page: PageCache.Page, _ request: HTTPRequest) -> HTTPResponse {
        var headers = HTTPHeaders(Self.pageSecurityHeaders)
        headers.set("ETag", page.etag)
        headers.set("Cache-Control", "public, max-age=60")
        if Self.matches(request.headers["if-none-match"], page.etag) {
            return HTTPResponse(status: 304, headers: headers)
        }
        headers.set("Content-Type", "text/html; charset=utf-8")
        return HTTPResponse(status: 200, headers: headers, body: page.body)
    }

    /// A friendly page for a key that names no parcel or project.
    private func notFoundPage(_ key: String) throws -> HTTPResponse {
        let html = try environment.pages.render("not-found", ["key": .text(key), "title": "未找到该地块"])
        var headers = HTTPHeaders(Self.pageSecurityHeaders)
        headers.set("Content-Type", "text/html; charset=utf-8")
        headers.set("Cache-Control", "public, max-age=30")
        return HTTPResponse(status: 404, headers: headers, body: Array(html.utf8))
    }

    /// RFC 9110 §13.1.2: `*` or any listed tag, weak comparison.
    static func matches(_ ifNoneMatch: String?, _ etag: String) -> Bool {
        guard let ifNoneMatch else { return false }
        let strip = { (t: String) in t.hasPrefix("W/") ? String(t.dropFirst(2)) : t }
        return ifNoneMatch.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .contains { $0 == "*" || strip($0) == strip(etag) }
    }
}
