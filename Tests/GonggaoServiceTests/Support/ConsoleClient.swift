import Foundation
import HTTPTestSupport
import Synchronization
import TestSupport

@testable import GonggaoService

extension ServiceHarness {
    static func consoleTemplatesDirectory() -> String {
        Fixtures.repositoryRoot().appendingPathComponent("Templates/console").path
    }

    /// A service with the officer console's templates, on a real SQLite store by default.
    static func withConsole<T>(
        backend: StoreBackend = .sqlite, settings: (inout ConsoleSettings) -> Void = { _ in },
        _ body: (ServiceHarness) async throws -> T
    ) async throws -> T {
        let templates = try ConsolePages.load(directory: consoleTemplatesDirectory())
        return try await with(
            backend: backend,
            configure: { env in
                var console = ConsoleSettings(templates: templates)
                settings(&console)
                env.console = console
            }, body)
    }

    /// A browser-like client signed in as `user` (its API token typed into the sign-in form).
    func console(as user: String) async throws -> ConsoleClient {
        let client = ConsoleClient(port: port)
        let r = try await client.signIn(token: tokens[user]!)
        precondition(r.status == 303, "sign-in of \(user) failed: \(r.status) \(r.text)")
        // The first page after sign-in carries the session's CSRF token (a printer's 403 page too).
        _ = try await client.get("/console")
        return client
    }
}

/// A minimal browser: keeps cookies, reads the CSRF token from the pages it gets, posts forms.
final class ConsoleClient: Sendable {
    let port: UInt16
    private let state = Mutex<(cookies: [String: String], csrf: String?)>(([:], nil))

    init(port: UInt16) { self.port = port }

    var cookies: [String: String] { state.withLock { $0.cookies } }
    /// The CSRF token of the last page that had one.
    var csrf: String? { state.withLock { $0.csrf } }

    func get(_ path: String, headers: [(String, String)] = []) async throws -> LoopbackResponse {
        try await send("GET", path, headers: headers)
    }

    /// POSTs `fields`; `csrf: .page` adds the token the last page carried, `.none` leaves it out,
    /// `.value(x)` sends `x`.
    func post(
        _ path: String, _ fields: [(String, String)] = [], csrf: CSRFChoice = .page,
        headers: [(String, String)] = []
    ) async throws -> LoopbackResponse {
        var all = fields
        switch csrf {
        case .page: if let token = self.csrf { all.append(("csrf", token)) }
        case .none: break
        case .value(let v): all.append(("csrf", v))
        }
        let body = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(
            "POST", path, headers: headers + [("Content-Type", "application/x-www-form-urlencoded")],
            body: Array(body.utf8))
    }

    enum CSRFChoice: Sendable {
        case page, none
        case value(String)
    }

    /// GET the form, then POST the token with the form's own CSRF value.
    func signIn(token: String) async throws -> LoopbackResponse {
        _ = try await get("/console/signin")
        return try await post("/console/signin", [("token", token)])
    }

    func send(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []) async throws
        -> LoopbackResponse
    {
        let jar = cookies
        var all = headers
        if !jar.isEmpty {
            all.append(
                ("Cookie", jar.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")))
        }
        let r = try await Loopback.request(port: port, method, path, headers: all, body: body)
        state.withLock { s in
            for (name, value) in r.headers where name.lowercased() == "set-cookie" {
                let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
                guard pair.count == 2 else { continue }
                if value.contains("Max-Age=0") || pair[1].isEmpty {
                    s.cookies.removeValue(forKey: pair[0])
                } else {
                    s.cookies[pair[0]] = pair[1]
                }
            }
            if let token = HTMLProbe.attribute("value", ofInputNamed: "csrf", in: r.text) { s.csrf = token }
        }
        return r
    }

    private static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}

/// Reading the few things the tests need out of a page (ids, attributes, text) without a DOM.
enum HTMLProbe {
    /// The opening tag of the element with `id`, e.g. `<button id="action-approve" type="submit" disabled>`.
    static func tag(id: String, in html: String) -> String? {
        guard let r = html.range(of: "id=\"\(id)\"") else { return nil }
        guard let open = html[..<r.lowerBound].lastIndex(of: "<"), let close = html[r.upperBound...].firstIndex(of: ">")
        else { return nil }
        return String(html[open...close])
    }

    /// The text right after the element's opening tag, up to the next tag.
    static func text(id: String, in html: String) -> String? {
        guard let r = html.range(of: "id=\"\(id)\""), let close = html[r.upperBound...].firstIndex(of: ">") else {
            return nil
        }
        let after = html[html.index(after: close)...]
        return String(after[..<(after.firstIndex(of: "<") ?? after.endIndex)])
    }

    static func has(id: String, in html: String) -> Bool { html.contains("id=\"\(id)\"") }

    /// Whether the element with `id` carries the `disabled` attribute.
    static func isDisabled(id: String, in html: String) -> Bool {
        tag(id: id, in: html).map { $0.contains(" disabled") } ?? false
    }

    /// `value` of the first `<input name="…">`.
    static func attribute(_ attribute: String, ofInputNamed name: String, in html: String) -> String? {
        guard let r = html.range(of: "name=\"\(name)\" \(attribute)=\"") else { return nil }
        let rest = html[r.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}
