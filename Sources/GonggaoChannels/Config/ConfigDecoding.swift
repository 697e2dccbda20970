import Foundation

/// A coding key for any name or index, to refuse unknown keys and to build key paths in errors.
struct ChannelConfigKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init(index: Int) {
        stringValue = "Index \(index)"
        intValue = index
    }
    init?(intValue: Int) { self.init(index: intValue) }
}

extension Decoder {
    /// Refuses keys the config does not know, so a typo (`secret` for `secrets`) is an error.
    func refuseUnknownChannelKeys(_ allowed: [String]) throws {
        let container = try container(keyedBy: ChannelConfigKey.self)
        for key in container.allKeys where !allowed.contains(key.stringValue) {
            throw channelConfigProblem(at: [key], "unknown key (expected one of: \(allowed.joined(separator: ", ")))")
        }
    }

    /// A decoding error at `codingPath + path`; `JSONInput` prints it as `channels[1].url: message`.
    func channelConfigProblem(at path: [any CodingKey], _ message: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: codingPath + path, debugDescription: message))
    }
}

/// `channels[1].signing` from coding keys (the same spelling as `JSONInput.path`).
func keyPathText(_ keys: [any CodingKey]) -> String {
    var out = ""
    for key in keys {
        if let i = key.intValue { out += "[\(i)]" } else { out += (out.isEmpty ? "" : ".") + key.stringValue }
    }
    return out
}

/// Checks a config URL: absolute, one of `schemes`, with a host, without query or fragment.
enum ConfigURL {
    static func problem(_ text: String, schemes: [String]) -> String? {
        guard let parts = URLComponents(string: text), let scheme = parts.scheme?.lowercased(), !scheme.isEmpty else {
            return "'\(text)' is not a URL"
        }
        guard schemes.contains(scheme) else {
            return "'\(text)' has scheme '\(scheme)' (expected \(schemes.joined(separator: " or ")))"
        }
        guard let host = parts.host, !host.isEmpty else { return "'\(text)' has no host" }
        if parts.query != nil || parts.fragment != nil { return "'\(text)' must not carry a query or fragment" }
        if parts.user != nil || parts.password != nil {
            return "credentials do not belong in the URL (use \"credential\")"
        }
        return nil
    }
}
