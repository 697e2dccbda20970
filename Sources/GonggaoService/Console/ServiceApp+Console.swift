import Foundation
import GonggaoCore
import GonggaoHTTP

extension ServiceApp {
    /// Every console route. Each guarded route takes its `Access` from the API route that does the
    /// same thing, so the console and the API cannot disagree on who may do what.
    var consoleRoutes: [ConsoleRoute] {
        let table = apiAccessTable
        /// A console route guarded by the rules of the API route `api`.
        func twin(_ method: HTTPMethod, _ pattern: String, _ api: (HTTPMethod, String),
                  _ handler: @escaping ConsoleRoute.Handler) -> ConsoleRoute {
            ConsoleRoute(method: method, pattern: pattern, guardedBy: .session(Self.access(api.0, api.1, in: table)),
                         handler: handler)
        }
        let notice = "/api/notices/{id}"
        let poster = "/api/notices/{id}/versions/{version:int}/poster."
        let posterPage = "/console/notices/{id}/versions/{version:int}/poster."
        return [
            ConsoleRoute(method: .get, pattern: "/console/signin", guardedBy: .open) { [self] in try await signInForm($0) },
            ConsoleRoute(method: .post, pattern: "/console/signin", guardedBy: .open) { [self] in try await signIn($0) },
            ConsoleRoute(method: .post, pattern: "/console/signout", guardedBy: .session(.signedIn)) { [self] in signOut($0) },
            twin(.get, "/console", (.get, "/api/projects")) { [self] in try await cockpit($0) },
            twin(.get, "/console/projects/{key}", (.get, "/api/projects/{key}")) { [self] in try await projectPage($0) },
            twin(.get, "/console/projects/{key}/notices/new", (.post, "/api/notices")) { [self] in try await newDraftForm($0) },
            twin(.post, "/console/projects/{key}/notices", (.post, "/api/notices")) { [self] in try await createDraft($0) },
            twin(.get, "/console/notices/{id}", (.get, notice)) { [self] in try await noticePage($0) },
            twin(.get, "/console/notices/{id}/edit", (.put, notice)) { [self] in try await editDraftForm($0) },
            twin(.post, "/console/notices/{id}/edit", (.put, notice)) { [self] in try await saveDraft($0) },
            twin(.post, "/console/notices/{id}/submit", (.post, notice + "/submit")) { [self] in try await consoleSubmit($0) },
            twin(.post, "/console/notices/{id}/approve", (.post, notice + "/approve")) { [self] in try await consoleApprove($0) },
            twin(.post, "/console/notices/{id}/reject", (.post, notice + "/reject")) { [self] in try await consoleReject($0) },
            twin(.post, "/console/notices/{id}/withdraw", (.post, notice + "/withdraw")) { [self] in
                try await consoleWithdraw($0)
            },
            twin(.post, "/console/notices/{id}/correct", (.post, notice + "/correct")) { [self] in try await consoleCorrect($0) },
            twin(.get, posterPage + "png", (.get, poster + "png")) { [self] in try await consolePoster($0, .png) },
            twin(.get, posterPage + "pdf", (.get, poster + "pdf")) { [self] in try await consolePoster($0, .pdf) },
            twin(.post, "/console/deliveries/{id}/retry", (.post, "/api/deliveries/{id}/retry")) { [self] in
                try await consoleRetry($0)
            },
            twin(.get, "/console/dead-letters", (.get, "/api/deliveries")) { [self] in try await deadLettersPage($0) },
            twin(.post, "/console/dead-letters/replay", (.post, "/api/deliveries/replay")) { [self] in
                try await consoleReplay($0)
            },
        ]
    }

    /// Who may call each API route, by `"METHOD pattern"`.
    var apiAccessTable: [String: Access] {
        Dictionary(endpoints.map { ("\($0.method) \($0.pattern)", $0.access) }) { a, _ in a }
    }

    static func access(_ method: HTTPMethod, _ pattern: String, in table: [String: Access]) -> Access {
        guard let access = table["\(method) \(pattern)"] else {
            preconditionFailure("no API route \(method) \(pattern)")
        }
        return access
    }

    /// Whether `user` may call the API route `method pattern` (what the console shows them).
    func may(_ user: User?, _ method: HTTPMethod, _ pattern: String) -> Bool {
        guard let user else { return false }
        return Self.access(method, pattern, in: apiAccessTable).permits(user)
    }

    /// Checks the session, the CSRF token and the role, runs the handler and turns its errors into
    /// error pages. Every answer is `no-store`.
    func handleConsole(_ route: ConsoleRoute, _ request: HTTPRequest) async -> HTTPResponse {
        let client =
            request.clientAddress
            ?? clients.client(peer: request.remoteAddress, forwardedFor: request.headers.values("x-forwarded-for"))
        let secure =
            request.remoteAddress.map(clients.isTrusted) == true
            && request.headers["x-forwarded-proto"]?.lowercased() == "https"
        var call = ConsoleCall(
            request: request, client: client, secure: secure, form: ConsoleForm(fields: []), cookie: nil,
            session: nil, user: nil)
        var response: HTTPResponse
        do {
            guard environment.console.templates != nil else {
                throw ConsoleRefusal(
                    status: 503, reason: "no-console", message: "the console templates are not installed")
            }
            if request.method == .post { call = call.with(form: try ConsoleForm(request)) }
            if case .session(let access) = route.guardedBy {
                guard let signedIn = try await consoleSession(request) else {
                    return ConsoleResponse.redirect("/console/signin", clearing: ConsoleCookie.session, secure: secure)
                }
                call = call.with(cookie: signedIn.cookie, session: signedIn.session, user: signedIn.user)
                if request.method == .post && !CSRF.matches(call.form["csrf"], signedIn.session.csrf) {
                    throw ConsoleRefusal(status: 403, reason: "csrf", message: "表单已过期或来源不明（CSRF 校验失败），请返回页面刷新后重试。")
                }
                guard access.permits(signedIn.user) else {
                    let roles = access.roleNames.joined(separator: ", ")
                    throw ConsoleRefusal(
                        status: 403, reason: "forbidden",
                        message: "用户 \(signedIn.user.name) 无权执行此操作（需要以下角色之一：\(roles)）。")
                }
            }
            response = try await route.handler(call)
        } catch {
            response = consoleErrorPage(error, call)
        }
        if !response.headers.contains("Cache-Control") { response.headers.set("Cache-Control", "no-store") }
        return response
    }

    /// The signed-in session of `request`, when its cookie names a live session whose token is
    /// still valid; a session whose token was revoked or expired is ended here.
    private func consoleSession(_ request: HTTPRequest) async throws -> (
        cookie: String, session: ConsoleSession, user: User
    )? {
        guard let cookie = ConsoleCookie.value(ConsoleCookie.session, in: request) else { return nil }
        let at = environment.now()
        guard case .success(let session) = consoleSessions.use(cookie, at: at, settings: environment.console) else {
            return nil
        }
        switch try await authenticator.check(hash: session.tokenHash, at: at) {
        case .success(let principal):
            return (cookie, session, principal.user)
        case .failure(let refusal):
            consoleSessions.end(cookie)
            environment.logger.notice(
                "console session ended", ["console.user": session.user, "auth.reason": refusal.message])
            return nil
        }
    }
}

extension ConsoleCall {
    func with(form: ConsoleForm) -> ConsoleCall {
        ConsoleCall(
            request: request, client: client, secure: secure, form: form, cookie: cookie, session: session, user: user)
    }

    func with(cookie: String, session: ConsoleSession, user: User) -> ConsoleCall {
        ConsoleCall(
            request: request, client: client, secure: secure, form: form, cookie: cookie, session: session, user: user)
    }
}
