import Foundation
import GonggaoCore
import GonggaoHTTP

/// The console's answers: HTML pages, redirects and error pages.
enum ConsoleResponse {
    /// No external assets, no scripts; forms post only to this origin; images only from here.
    static let securityHeaders: [(String, String)] = [
        (
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
        ),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
    ]

    static func html(_ markup: String, status: Int = 200) -> HTTPResponse {
        var headers = HTTPHeaders(securityHeaders)
        headers.set("Content-Type", "text/html; charset=utf-8")
        return HTTPResponse(status: status, headers: headers, body: Array(markup.utf8))
    }

    /// `303 See Other` to `location` (a `/console…` path), optionally clearing a cookie.
    static func redirect(_ location: String, clearing cookie: String? = nil, secure: Bool = false) -> HTTPResponse {
        var headers = HTTPHeaders(securityHeaders)
        headers.set("Location", location)
        if let cookie { headers.add("Set-Cookie", ConsoleCookie.header(cookie, "", secure: secure, clear: true)) }
        return HTTPResponse(status: 303, headers: headers)
    }

    /// `path` when it is a console path (a form's `return` field), else `fallback`: never an open redirect.
    static func localPath(_ path: String?, fallback: String) -> String {
        guard let path, path.hasPrefix("/console"), !path.hasPrefix("//"), !path.contains("\\"),
            path.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
        else { return fallback }
        return path
    }
}

/// Times and dates as officers read them: Asia/Shanghai.
enum ConsoleTime {
    static func format(_ date: Date?) -> String {
        guard let date else { return "—" }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = CivilDate.legalTimeZone
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.string(from: date)
    }
}

extension ServiceApp {
    /// Renders console template `name` with `values` plus what every page shows: the user, their
    /// roles, the CSRF token, the flash message and the title.
    func consolePage(
        _ name: String, title: String, _ values: [String: PageValue], call: ConsoleCall,
        status: Int = 200
    ) throws -> HTTPResponse {
        guard let templates = environment.console.templates else {
            throw ConsoleRefusal(status: 503, reason: "no-console", message: "the console templates are not installed")
        }
        var all = values
        all["title"] = .text(title)
        all["csrf"] = .text(call.session?.csrf ?? "")
        if let user = call.user {
            all["me"] = [
                "name": .text(user.name), "displayName": .text(user.displayName ?? user.name),
                "roles": .text(Role.allCases.filter { user.roles.contains($0) }.map(\.rawValue).joined(separator: ",")),
            ]
        } else {
            all["me"] = false
        }
        if all["flash"] == nil { all["flash"] = .optional(call.query("done").flatMap { ConsoleFlash.text[$0] }) }
        return ConsoleResponse.html(try templates.render(name, .object(all)), status: status)
    }

    /// The error page for what a console handler threw: its status, `data-reason` and message.
    func consoleErrorPage(_ error: any Error, _ call: ConsoleCall) -> HTTPResponse {
        let (status, reason, message): (Int, String, String)
        switch error {
        case let r as ConsoleRefusal:
            (status, reason, message) = (r.status, r.reason, r.message)
        default:
            let api = ErrorMapping.response(for: error, logger: environment.logger, request: call.request)
            let body = try? JSONDecoder().decode(ErrorBody.self, from: Data(api.body))
            (status, reason, message) = (api.status, body?.error ?? "error", body?.message ?? "请求失败")
        }
        let values: [String: PageValue] = [
            "status": .text("\(status)"), "reason": .text(reason), "message": .text(message),
            "heading": .text(ConsoleFlash.heading(status)),
        ]
        do {
            return try consolePage("error", title: ConsoleFlash.heading(status), values, call: call, status: status)
        } catch {
            environment.logger.error("console error page failed", ["error": String(describing: error)])
            return ConsoleResponse.html(
                "<!DOCTYPE html><title>\(status)</title><p>\(HTML.escape(message))</p>", status: status)
        }
    }
}

/// The fixed Chinese texts the console shows after an action (`?done=<key>`) and over error pages.
enum ConsoleFlash {
    static let text: [String: String] = [
        "signed-in": "已登录。",
        "drafted": "草稿已保存。",
        "saved": "修改已保存。",
        "submitted": "已提交审批。",
        "approved": "已批准发布，正在推送到各渠道。",
        "already-approved": "该版本此前已批准，未重复发布。",
        "rejected": "已退回起草人。",
        "withdrawn": "已撤回，正在通知各渠道。",
        "corrected": "已创建更正版本草稿。",
        "retried": "已重新排队投递。",
        "replayed": "死信已重新排队。",
    ]

    static func heading(_ status: Int) -> String {
        switch status {
        case 401: "需要登录"
        case 403: "无权操作"
        case 404: "未找到"
        case 409: "当前状态不允许此操作"
        case 413: "提交内容过大"
        case 415: "提交格式不正确"
        case 422: "提交内容有误"
        case 429: "尝试次数过多"
        case 503: "服务暂不可用"
        default: "出错了"
        }
    }
}
