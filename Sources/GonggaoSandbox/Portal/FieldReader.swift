import Foundation
import GonggaoCore

/// Reads typed fields out of a JSON object, naming the exact field (`metadata.indexNumber`) in
/// every refusal. Lengths are counted in characters (a Chinese character is one).
struct FieldReader {
    let object: [String: JSONValue]
    let path: String

    /// The body parsed as a JSON object, or a 400 naming the problem.
    static func parse(_ body: [UInt8]) throws(PortalError) -> FieldReader {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(body))
        } catch {
            throw PortalError(status: 400, code: "malformed-json", message: "the body is not valid JSON")
        }
        guard case .object(let object) = value else {
            throw PortalError(status: 400, code: "malformed-json", message: "the body must be a JSON object")
        }
        return FieldReader(object: object, path: "")
    }

    var value: JSONValue { .object(object) }

    private func name(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    func has(_ key: String) -> Bool {
        if let v = object[key], v != .null { return true }
        return false
    }

    /// A non-empty string of at most `limit` characters; nil only when optional and absent.
    func string(_ key: String, limit: Int, optional: Bool = false) throws(PortalError) -> String? {
        guard let raw = object[key], raw != .null else {
            if optional { return nil }
            throw .missing(name(key))
        }
        guard case .string(let s) = raw else { throw .invalid(name(key), "must be a string") }
        if s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw .invalid(name(key), "must not be empty") }
        if s.count > limit { throw .tooLong(name(key), count: s.count, limit: limit) }
        return s
    }

    func requiredString(_ key: String, limit: Int) throws(PortalError) -> String {
        try string(key, limit: limit)!
    }

    /// A whole number ≥ `minimum`.
    func int(_ key: String, minimum: Int) throws(PortalError) -> Int {
        guard let raw = object[key], raw != .null else { throw .missing(name(key)) }
        guard case .number(let n) = raw, n == n.rounded(), abs(n) < 1e15 else {
            throw .invalid(name(key), "must be a whole number")
        }
        guard Int(n) >= minimum else { throw .invalid(name(key), "must be at least \(minimum)") }
        return Int(n)
    }

    /// A `YYYY-MM-DD` calendar date.
    func date(_ key: String) throws(PortalError) -> CivilDate {
        let text = try requiredString(key, limit: 10)
        guard let date = CivilDate(iso: text) else { throw .invalid(name(key), "must be a date YYYY-MM-DD") }
        return date
    }

    /// An absolute http(s) URL.
    func url(_ key: String, limit: Int, optional: Bool = false) throws(PortalError) -> String? {
        guard let text = try string(key, limit: limit, optional: optional) else { return nil }
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil
        else {
            throw .invalid(name(key), "must be an absolute http or https URL")
        }
        return text
    }

    /// A string matching a pattern `check`, described as `what` in the refusal.
    func matching(
        _ key: String, limit: Int, optional: Bool = false, what: String,
        _ check: (String) -> Bool
    ) throws(PortalError) -> String? {
        guard let text = try string(key, limit: limit, optional: optional) else { return nil }
        guard check(text) else { throw .invalid(name(key), "must be \(what)") }
        return text
    }

    /// A nested object.
    func object(_ key: String) throws(PortalError) -> FieldReader {
        guard let raw = object[key], raw != .null else { throw .missing(name(key)) }
        guard case .object(let o) = raw else { throw .invalid(name(key), "must be an object") }
        return FieldReader(object: o, path: name(key))
    }

    /// A non-empty array of non-empty strings, at most `totalLimit` characters together.
    func paragraphs(_ key: String, totalLimit: Int) throws(PortalError) -> [String] {
        guard let raw = object[key], raw != .null else { throw .missing(name(key)) }
        guard case .array(let items) = raw, !items.isEmpty else {
            throw .invalid(name(key), "must be a non-empty array of strings")
        }
        var out: [String] = []
        for item in items {
            guard case .string(let s) = item else { throw .invalid(name(key), "must be a non-empty array of strings") }
            out.append(s)
        }
        let total = out.reduce(0) { $0 + $1.count }
        if total > totalLimit { throw .tooLong(name(key), count: total, limit: totalLimit) }
        return out
    }
}

/// Identifier checks shared by the portals.
enum FieldFormats {
    /// Our notice id: 1–64 of `A–Z a–z 0–9 _ . -`.
    static func isNoticeID(_ s: String) -> Bool {
        (1...64).contains(s.utf8.count) && s.utf8.allSatisfy { isPlain($0) }
    }

    static func isDigits(_ s: String, count: Int) -> Bool {
        s.utf8.count == count && s.utf8.allSatisfy { (48...57).contains($0) }
    }

    /// 索引号 `{orgCode}/{year}-{seq:5}`: a 9–18 character organisation code of digits and capital
    /// letters, a 4-digit year, a 5-digit sequence — e.g. `000014349/2017-00110`.
    static func isIndexNumber(_ s: String) -> Bool {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let org = parts[0], rest = parts[1].split(separator: "-", omittingEmptySubsequences: false)
        return (9...18).contains(org.utf8.count)
            && org.utf8.allSatisfy { (48...57).contains($0) || (65...90).contains($0) }
            && rest.count == 2 && isDigits(String(rest[0]), count: 4) && isDigits(String(rest[1]), count: 5)
    }

    private static func isPlain(_ b: UInt8) -> Bool {
        (48...57).contains(b) || (65...90).contains(b) || (97...122).contains(b) || b == 95 || b == 46 || b == 45
    }
}
