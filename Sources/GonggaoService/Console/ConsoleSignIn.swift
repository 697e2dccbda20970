import Foundation
import GonggaoCore
import GonggaoCrypto
import GonggaoHTTP

extension ServiceApp {
    /// `GET /console/signin`: the form, with a double-submit cookie standing in for the CSRF token
    /// until there is a session.
    func signInForm(_ call: ConsoleCall) async throws -> HTTPResponse {
        try signInPage(call, status: 200, error: nil)
    }

    /// `POST /console/signin`: checks the token through the API's authenticator and login throttle,
    /// then starts a session.
    func signIn(_ call: ConsoleCall) async throws -> HTTPResponse {
        guard let expected = ConsoleCookie.value(ConsoleCookie.signin, in: call.request),
            CSRF.matches(call.form["csrf"], expected)
        else {
            throw ConsoleRefusal(status: 403, reason: "csrf", message: "登录表单已过期或来源不明（CSRF 校验失败），请重新打开登录页。")
        }
        let token = call.form.text("token")
        let principal: Principal
        do {
            guard !token.isEmpty else { return try signInPage(call, status: 422, error: "请输入令牌。") }
            principal = try await authenticator.authenticate(token: token, client: call.client)
        } catch let early as EarlyResponse {
            let wait = early.response.headers["Retry-After"]
            let message =
                early.response.status == 429
                ? "登录失败次数过多，请 \(wait ?? "60") 秒后再试。"
                : "令牌无效、已过期或已被吊销。"
            return try signInPage(call, status: early.response.status, error: message)
        }
        // A fresh session id at every sign-in (no fixation); the browser's previous session ends.
        if let previous = ConsoleCookie.value(ConsoleCookie.session, in: call.request) { consoleSessions.end(previous) }
        let (cookie, _) = try consoleSessions.create(
            user: principal.user.name, tokenHash: APIToken.hash(of: token), tokenID: principal.tokenID,
            at: environment.now(), settings: environment.console)
        environment.logger.notice(
            "console sign-in",
            [
                "console.user": principal.user.name, "auth.token_id": principal.tokenID,
                "http.client": call.client,
            ])
        var response = ConsoleResponse.redirect("/console?done=signed-in")
        response.headers.add("Set-Cookie", ConsoleCookie.header(ConsoleCookie.session, cookie, secure: call.secure))
        response.headers.add(
            "Set-Cookie", ConsoleCookie.header(ConsoleCookie.signin, "", secure: call.secure, clear: true))
        return response
    }

    /// `POST /console/signout`: ends the session and forgets its cookie.
    func signOut(_ call: ConsoleCall) -> HTTPResponse {
        if let cookie = call.cookie { consoleSessions.end(cookie) }
        environment.logger.notice("console sign-out", ["console.user": call.user?.name ?? ""])
        return ConsoleResponse.redirect("/console/signin", clearing: ConsoleCookie.session, secure: call.secure)
    }

    private func signInPage(_ call: ConsoleCall, status: Int, error: String?) throws -> HTTPResponse {
        let existing = ConsoleCookie.value(ConsoleCookie.signin, in: call.request)
            .flatMap { $0.count == 64 && $0.allSatisfy(\.isHexDigit) ? $0 : nil }
        let value = try existing ?? GonggaoCrypto.hex(GonggaoCrypto.randomBytes(32))
        var response = try consolePage(
            "signin", title: "登录", ["signinCSRF": .text(value), "error": .optional(error)],
            call: call, status: status)
        response.headers.add("Set-Cookie", ConsoleCookie.header(ConsoleCookie.signin, value, secure: call.secure))
        return response
    }
}
