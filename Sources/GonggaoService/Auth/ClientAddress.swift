#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// An IP address or CIDR range (`192.0.2.7`, `10.0.0.0/8`, `::1`, `fd00::/8`).
struct AddressRange: Sendable, Equatable {
    let bytes: [UInt8]
    let prefix: Int

    init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/", maxSplits: 1).map(String.init)
        guard let first = parts.first, let bytes = Self.parse(first) else { return nil }
        let maxPrefix = bytes.count * 8
        if parts.count == 2 {
            guard let p = Int(parts[1]), (0...maxPrefix).contains(p) else { return nil }
            prefix = p
        } else {
            prefix = maxPrefix
        }
        self.bytes = bytes
    }

    func contains(_ address: [UInt8]) -> Bool {
        guard address.count == bytes.count else { return false }
        var remaining = prefix
        for (a, b) in zip(address, bytes) where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if a & mask != b & mask { return false }
            remaining -= bits
        }
        return true
    }

    /// 4 bytes for IPv4, 16 for IPv6 (an IPv4-mapped IPv6 address becomes its IPv4 form).
    static func parse(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            let b = withUnsafeBytes(of: &v6) { Array($0) }
            if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xFF && b[11] == 0xFF { return Array(b[12...]) }
            return b
        }
        return nil
    }
}

/// Works out the client's address: the peer's, or — when the peer is a trusted proxy — the
/// right-most `X-Forwarded-For` entry that is not itself a trusted proxy.
struct ClientAddressResolver: Sendable {
    let trusted: [AddressRange]

    init(trustedProxies: [String]) {
        trusted = trustedProxies.compactMap(AddressRange.init)
    }

    func isTrusted(_ address: String) -> Bool {
        guard let bytes = AddressRange.parse(address) else { return false }
        return trusted.contains { $0.contains(bytes) }
    }

    /// `forwardedFor` holds every `X-Forwarded-For` field value, in order.
    func client(peer: String?, forwardedFor: [String]) -> String {
        let peer = peer ?? "unknown"
        guard isTrusted(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        var client = peer
        for hop in hops.reversed() {
            guard AddressRange.parse(hop) != nil else { break }
            client = hop
            if !isTrusted(hop) { break }
        }
        return client
    }
}
