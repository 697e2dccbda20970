import Foundation
import GonggaoCore
import GonggaoStore
import Testing
import TestSupport

/// Circuit records (migration 4): one per channel, the latest write wins, readable in any transaction.
@Suite struct ChannelCircuitStoreTests {
    @Test(arguments: StoreBackend.allCases)
    func aChannelsCircuitIsReplacedByItsLatestRecord(backend: StoreBackend) async throws {
        let ts = try backend.make()
        let t0 = Fixtures.t0
        let open = ChannelCircuit(channel: "provincial-portal", state: "open", since: t0, consecutiveFailures: 5,
                                  reopensAt: t0.addingTimeInterval(10), worker: "wrk_a", recordedAt: t0)
        let closed = ChannelCircuit(channel: "county-column", state: "closed", since: t0, consecutiveFailures: 0,
                                    worker: "wrk_b", recordedAt: t0)
        try await ts.store.write { tx in
            try tx.recordChannelCircuit(open)
            try tx.recordChannelCircuit(closed)
        }
        #expect(try await ts.store.read { try $0.channelCircuits() } == [closed, open])
        var halfOpen = open
        halfOpen.state = "half-open"
        halfOpen.since = t0.addingTimeInterval(10)
        halfOpen.reopensAt = nil
        halfOpen.worker = "wrk_b"
        let latest = halfOpen
        try await ts.store.write { tx in try tx.recordChannelCircuit(latest) }
        #expect(try await ts.store.read { try $0.channelCircuits() } == [closed, latest])
        await ts.cleanup()
    }
}
