import GonggaoStore

/// The store's change stamp read once when a signed-in GET begins, so that the token check and the
/// handler's cached answer share one read of it (each read is a trip to the store's queue).
///
/// - Important: only for requests that do not write: a handler that wrote and then read through a
///   stamped cache under the stamp of the request's start could be given what it just replaced.
enum RequestStamp {
    struct Scoped: Sendable {
        let stamp: StoreChangeStamp?
    }

    @TaskLocal static var scoped: Scoped?

    /// The request's stamp when one was read for it, otherwise the store's now.
    static func read(_ store: any NoticeStore) async throws -> StoreChangeStamp? {
        if let scoped { return scoped.stamp }
        return try await store.changeStamp()
    }

    /// Runs `body` with `store`'s stamp read once for it when `when` holds (and the read succeeds;
    /// otherwise each reader reads its own).
    static func scope<T: Sendable>(_ store: any NoticeStore, when: Bool, _ body: () async -> T) async -> T {
        guard when, let stamp = try? await store.changeStamp() else { return await body() }
        return await $scoped.withValue(Scoped(stamp: stamp)) { await body() }
    }
}
