import Foundation
import GonggaoHTTP

/// A submitted HTML form (`application/x-www-form-urlencoded`), fields in order.
struct ConsoleForm: Sendable {
    let fields: [(name: String, value: String)]

    init(fields: [(name: String, value: String)]) { self.fields = fields }

    /// The body of `request`; another media type is refused (415), an empty body is an empty form.
    init(_ request: HTTPRequest) throws(HTTPError) {
        if request.body.isEmpty {
            self.init(fields: [])
            return
        }
        guard request.mediaType == "application/x-www-form-urlencoded" else {
            throw HTTPError(
                status: 415, code: "unsupported-media-type",
                message: "the form must be application/x-www-form-urlencoded, not \(request.mediaType ?? "untyped")")
        }
        self.init(encoded: request.bodyText)
    }

    /// Parses `a=1&b=x+y%21`.
    init(encoded: String) {
        var out: [(name: String, value: String)] = []
        for pair in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            out.append((Self.decode(parts[0]), parts.count > 1 ? Self.decode(parts[1]) : ""))
        }
        self.init(fields: out)
    }

    /// The first value of `name`, nil when absent.
    subscript(name: String) -> String? { fields.first { $0.name == name }?.value }

    /// The first value of `name`, trimmed; "" when absent.
    func text(_ name: String) -> String { (self[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }

    /// Every value of `name`, in order.
    func all(_ name: String) -> [String] { fields.filter { $0.name == name }.map(\.value) }

    /// Whether a checkbox named `name` was ticked (`value="yes"`).
    func ticked(_ name: String) -> Bool { self[name] == "yes" }

    private static func decode(_ s: Substring) -> String {
        let spaced = s.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}

/// Reading `Cookie` and writing `Set-Cookie` for the console (RFC 6265).
enum ConsoleCookie {
    static let session = "gonggao_session"
    static let signin = "gonggao_signin"

    /// The value of cookie `name` in the request's `Cookie` header fields.
    static func value(_ name: String, in request: HTTPRequest) -> String? {
        for header in request.headers.values("cookie") {
            for part in header.split(separator: ";") {
                let kv = part.split(separator: "=", maxSplits: 1)
                if kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces) == name {
                    return kv[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }

    /// `name=value; Path=/console; HttpOnly; SameSite=Strict[; Secure][; Max-Age=0]`.
    static func header(_ name: String, _ value: String, secure: Bool, clear: Bool = false) -> String {
        var parts = ["\(name)=\(value)", "Path=/console", "HttpOnly", "SameSite=Strict"]
        if secure { parts.append("Secure") }
        if clear { parts.append("Max-Age=0") }
        return parts.joined(separator: "; ")
    }
}
