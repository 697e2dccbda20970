import GonggaoStore
import Synchronization

/// Group commit for attempt records: the records that become ready while one write transaction
/// commits share the next one (and its fsync) instead of queueing for one each. Every caller still
/// returns only after its own record is committed, so an attempt counts no earlier than before.
///
/// The first caller to find no transaction running writes its record together with everything that
/// is waiting at that moment, then hands the lead to the oldest caller that arrived meanwhile (if
/// any), which does the same. When a shared transaction fails, its records are written again one
/// transaction each, so one record's error never becomes another's.
final class GroupCommit<Output: Sendable>: Sendable {
    typealias Work = @Sendable (any StoreWriter) throws -> Output

    private enum Turn: Sendable {
        case lead
        case done(Result<Output, any Error>)
    }

    private struct Waiter: Sendable {
        let work: Work
        let continuation: CheckedContinuation<Turn, Never>
    }

    private struct State: Sendable {
        var waiting: [Waiter] = []
        var writing = false
    }

    private let state = Mutex(State())
    let store: any NoticeStore

    init(store: any NoticeStore) { self.store = store }

    /// Runs `work` in a write transaction, possibly shared with other callers' work; returns once committed.
    func write(_ work: @escaping Work) async throws -> Output {
        let turn = await withCheckedContinuation { (c: CheckedContinuation<Turn, Never>) in
            let leads = state.withLock { s -> Bool in
                if s.writing {
                    s.waiting.append(Waiter(work: work, continuation: c))
                    return false
                }
                s.writing = true
                return true
            }
            if leads { c.resume(returning: .lead) }
        }
        switch turn {
        case .done(let result):
            return try result.get()
        case .lead:
            let others = state.withLock { s -> [Waiter] in
                defer { s.waiting.removeAll() }
                return s.waiting
            }
            let results = await commit([work] + others.map(\.work))
            for (waiter, result) in zip(others, results.dropFirst()) { waiter.continuation.resume(returning: .done(result)) }
            let next = state.withLock { s -> Waiter? in
                guard !s.waiting.isEmpty else {
                    s.writing = false
                    return nil
                }
                return s.waiting.removeFirst()
            }
            next?.continuation.resume(returning: .lead)
            return try results[0].get()
        }
    }

    /// One transaction for all of `works`; when it fails, one transaction each.
    private func commit(_ works: [Work]) async -> [Result<Output, any Error>] {
        if works.count > 1, let outputs = try? await store.write({ tx in try works.map { try $0(tx) } }) {
            return outputs.map { .success($0) }
        }
        var results: [Result<Output, any Error>] = []
        for work in works {
            do {
                results.append(.success(try await store.write(work)))
            } catch {
                results.append(.failure(error))
            }
        }
        return results
    }
}
