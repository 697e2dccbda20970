import Foundation
import GonggaoCrypto
import Synchronization

/// One signed-in console session.
struct ConsoleSession: Sendable, Equatable {
    /// The signed-in user's name.
    let user: String
    /// SHA-256 of the API token the user signed in with: every request checks it is still valid, so
    /// revoking or expiring the token ends the session.
    let tokenHash: String
    /// The token's id (for logs; never the token itself).
    let tokenID: String
    /// The per-session CSRF token every POST form carries.
    let csrf: String
    let createdAt: Date
    var lastSeenAt: Date
}

/// The console's sessions, kept in this process's memory by the SHA-256 of their cookie value.
///
/// - Important: sessions live in memory only: a restart of `gonggao serve` signs every officer out,
///   and behind a load balancer a session is known only to the process that created it (use sticky
///   sessions). Nothing secret is lost: the store never holds a session.
final class ConsoleSessions: Sendable {
    /// Why a cookie does not name a usable session.
    enum Miss: Error, Equatable, Sendable {
        case unknown, idle, expired
    }

    private let sessions = Mutex<[String: ConsoleSession]>([:])

    init() {}

    /// A new session for `user`; returns the cookie value (shown once, stored only as its hash).
    func create(user: String, tokenHash: String, tokenID: String, at now: Date, settings: ConsoleSettings) throws -> (
        cookie: String, session: ConsoleSession
    ) {
        let cookie = GonggaoCrypto.hex(try GonggaoCrypto.randomBytes(32))
        let session = ConsoleSession(
            user: user, tokenHash: tokenHash, tokenID: tokenID,
            csrf: GonggaoCrypto.hex(try GonggaoCrypto.randomBytes(32)), createdAt: now, lastSeenAt: now)
        let key = Self.key(cookie)
        sessions.withLock { table in
            if table.count >= settings.maxSessions {
                table = table.filter { Self.miss($0.value, at: now, settings) == nil }
            }
            while table.count >= settings.maxSessions,
                let oldest = table.min(by: { $0.value.lastSeenAt < $1.value.lastSeenAt })
            {
                table.removeValue(forKey: oldest.key)
            }
            table[key] = session
        }
        return (cookie, session)
    }

    /// The session of `cookie`, touched at `now`; an idle or expired one is removed.
    func use(_ cookie: String, at now: Date, settings: ConsoleSettings) -> Result<ConsoleSession, Miss> {
        let key = Self.key(cookie)
        return sessions.withLock { table in
            guard var session = table[key] else { return .failure(.unknown) }
            if let miss = Self.miss(session, at: now, settings) {
                table.removeValue(forKey: key)
                return .failure(miss)
            }
            session.lastSeenAt = now
            table[key] = session
            return .success(session)
        }
    }

    /// Ends the session of `cookie` (sign-out, or its token no longer valid).
    func end(_ cookie: String) {
        _ = sessions.withLock { $0.removeValue(forKey: Self.key(cookie)) }
    }

    var count: Int { sessions.withLock { $0.count } }

    private static func miss(_ s: ConsoleSession, at now: Date, _ settings: ConsoleSettings) -> Miss? {
        if now.timeIntervalSince(s.createdAt) >= settings.absoluteTimeout { return .expired }
        if now.timeIntervalSince(s.lastSeenAt) >= settings.idleTimeout { return .idle }
        return nil
    }

    private static func key(_ cookie: String) -> String { GonggaoCrypto.sha256Hex(cookie) }
}

/// CSRF tokens compared in constant time.
enum CSRF {
    static func matches(_ presented: String?, _ expected: String) -> Bool {
        guard let presented, !expected.isEmpty else { return false }
        return GonggaoCrypto.constantTimeEqual(Array(presented.utf8), Array(expected.utf8))
    }
}
