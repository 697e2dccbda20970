/// A value that changes whenever a committed change to a store could have become visible to its
/// readers — a commit by this process or by any other on the same store. Two equal stamps mean no
/// commit happened in between, so whatever was read under the first is still true under the second;
/// the converse does not hold (a stamp may move without a relevant change).
///
/// Caches of values read from the store (rendered responses, authenticated tokens) key on it.
public struct StoreChangeStamp: Hashable, Sendable, CustomStringConvertible {
    /// Moves when another connection (in this process or another) commits.
    public let external: Int64
    /// Moves when this store object writes.
    public let local: Int64

    public init(external: Int64, local: Int64) {
        self.external = external
        self.local = local
    }

    public var description: String { "\(external).\(local)" }
}

extension NoticeStore {
    /// No stamp: this store cannot tell cheaply whether anything changed, so nothing read from it
    /// may be cached across calls.
    public func changeStamp() async throws -> StoreChangeStamp? { nil }

    /// A store without a cheaper commit makes a lease write an ordinary one.
    public func writeLease<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T {
        try await write(body)
    }
}
