import Foundation

/// How bearer tokens and login failures are handled. Every default is documented here.
public struct AuthSettings: Sendable, Equatable {
    /// Addresses (or CIDR ranges such as `10.0.0.0/8`) of reverse proxies whose `X-Forwarded-For`
    /// is believed. From any other peer the header is ignored. Default: none.
    public var trustedProxies: [String]
    /// Failed logins (an unknown, expired or revoked token) one client address may make within
    /// `failureWindow` before it is answered 429. Default 10.
    public var failureLimit: Int
    /// Default 60 s.
    public var failureWindow: TimeInterval
    /// Lifetime of a token created without one. Default 30 days.
    public var defaultTokenLifetime: TimeInterval
    /// The longest lifetime a token may be given. Default 365 days.
    public var maxTokenLifetime: TimeInterval

    public init(
        trustedProxies: [String] = [], failureLimit: Int = 10, failureWindow: TimeInterval = 60,
        defaultTokenLifetime: TimeInterval = 30 * 86_400, maxTokenLifetime: TimeInterval = 365 * 86_400
    ) {
        self.trustedProxies = trustedProxies
        self.failureLimit = failureLimit
        self.failureWindow = failureWindow
        self.defaultTokenLifetime = defaultTokenLifetime
        self.maxTokenLifetime = maxTokenLifetime
    }

    /// The first proxy entry that is not an IP address or CIDR range, as `trustedProxies[i]: reason`.
    public var problem: String? {
        for (i, entry) in trustedProxies.enumerated() where AddressRange(entry) == nil {
            return "trustedProxies[\(i)]: '\(entry)' is not an IP address or CIDR range"
        }
        if failureLimit < 1 { return "failureLimit: must be at least 1" }
        if failureWindow <= 0 { return "failureWindow: must be positive" }
        return nil
    }
}
