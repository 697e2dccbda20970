import Foundation
import GonggaoCore
@testable import GonggaoStore
import TestSupport
import Testing

/// Claiming due deliveries with a lease: the part of the store contract delivery workers rely on.
@Suite struct ClaimTests {
    static func at(_ seconds: Double) -> Date { Fixtures.t0.addingTimeInterval(seconds) }

    static func claim(
        _ store: any NoticeStore, _ channel: String = "print", now: Double, owner: String = "w1",
        lease: Double = 60, limit: Int = 10
    ) async throws -> [Delivery] {
        try await store.write { tx in
            try tx.claimDue(channel: channel, now: at(now), owner: owner, leaseUntil: at(now + lease), limit: limit)
        }
    }

    static func finish(_ store: any NoticeStore, _ id: String, _ state: DeliveryState, now: Double) async throws {
        try await store.write { tx in
            var d = try #require(try tx.delivery(id))
            d.state = state
            d.leaseOwner = nil
            d.leaseExpiresAt = nil
            d.updatedAt = at(now)
            try tx.updateDelivery(d)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func claimsHonourTimeLeasesOrderAndPauses(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            let store = ts.store
            var later = Rows.delivery("dlv_b1", notice: "ntc_b", channel: "print")
            later.nextAttemptAt = Self.at(100)
            try await store.write { [later] tx in
                try tx.insertNoticeVersion(Rows.version("ntc_a", 1, state: .superseded))
                try tx.insertNoticeVersion(Rows.version("ntc_a", 2, state: .approved))
                try tx.insertNoticeVersion(Rows.version("ntc_b", 1, state: .approved))
                try tx.insertDelivery(Rows.delivery("dlv_a1", notice: "ntc_a", channel: "print"))
                try tx.insertDelivery(Rows.delivery("dlv_a1c", notice: "ntc_a", channel: "county-column"))
                try tx.insertDelivery(Rows.delivery("dlv_a2", notice: "ntc_a", version: 2, channel: "print"))
                try tx.insertDelivery(later)
            }
            #expect(try await store.read { try $0.nextDueTime(channel: "print") } == Fixtures.t0)
            #expect(try await store.read { try $0.nextDueTime(channel: "fax") } == nil)

            // Only the first delivery of ntc_a on print is due: v2 waits behind v1, ntc_b is not due yet.
            let first = try await Self.claim(store, now: 10)
            #expect(first.map(\.id) == ["dlv_a1"])
            #expect(first[0].state == .inFlight && first[0].attempts == 1)
            #expect(first[0].leaseOwner == "w1" && first[0].leaseExpiresAt == Self.at(70))
            #expect(try await store.read { try $0.delivery("dlv_a1") } == first[0])
            #expect(try await Self.claim(store, now: 11, owner: "w2").isEmpty, "a live lease is not claimed twice")

            // The other channel is its own queue.
            #expect(try await Self.claim(store, "county-column", now: 12).map(\.id) == ["dlv_a1c"])

            // An expired lease (its worker died) is claimed again, and the attempt counts.
            let reclaimed = try await Self.claim(store, now: 71, owner: "w2")
            #expect(reclaimed.map(\.id) == ["dlv_a1"])
            #expect(reclaimed[0].attempts == 2 && reclaimed[0].leaseOwner == "w2")

            // Once v1 is finished, v2 may go.
            try await Self.finish(store, "dlv_a1", .delivered, now: 72)
            #expect(try await Self.claim(store, now: 73).map(\.id) == ["dlv_a2"])
            try await Self.finish(store, "dlv_a2", .delivered, now: 74)
            #expect(try await store.read { try $0.nextDueTime(channel: "print") } == Self.at(100))

            // A paused channel hands out nothing, and resumes where it was.
            try await store.write { try $0.setChannelPaused("print", paused: true, by: "root", at: Self.at(80)) }
            #expect(
                try await store.read { try $0.channelStates() }
                    == [ChannelStatus(channel: "print", paused: true, changedBy: "root", changedAt: Self.at(80))])
            #expect(try await Self.claim(store, now: 200).isEmpty)
            try await store.write { try $0.setChannelPaused("print", paused: false, by: "root", at: Self.at(201)) }
            #expect(try await Self.claim(store, now: 202, limit: 1).map(\.id) == ["dlv_b1"])
            #expect(try await store.read { try $0.channelStates() }.map(\.paused) == [false])
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func claimsRespectTheLimitOldestDueFirst(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            try await ts.store.write { tx in
                for i in 0..<5 {
                    try tx.insertNoticeVersion(Rows.version("ntc_\(i)", 1, state: .approved))
                    var d = Rows.delivery("dlv_\(i)", notice: "ntc_\(i)", channel: "print")
                    d.nextAttemptAt = Self.at(Double(10 - i))
                    try tx.insertDelivery(d)
                }
            }
            #expect(try await Self.claim(ts.store, now: 20, limit: 2).map(\.id) == ["dlv_4", "dlv_3"])
            #expect(try await Self.claim(ts.store, now: 20, limit: 10).map(\.id) == ["dlv_2", "dlv_1", "dlv_0"])
            #expect(try await Self.claim(ts.store, now: 20).isEmpty)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func finishedDeliveriesAreNeverClaimed(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            try await ts.store.write { tx in
                try tx.insertNoticeVersion(Rows.version("ntc_a", 1, state: .approved))
                for (i, state) in [DeliveryState.delivered, .dead, .cancelled].enumerated() {
                    var d = Rows.delivery("dlv_\(i)", notice: "ntc_a", channel: Fixtures.channels[i])
                    d.state = state
                    try tx.insertDelivery(d)
                }
            }
            for channel in Fixtures.channels {
                #expect(try await Self.claim(ts.store, channel, now: 1_000).isEmpty)
                #expect(try await ts.store.read { try $0.nextDueTime(channel: channel) } == nil)
            }
        }
    }

    /// A claim is a lease: committed and visible at once, atomic, without its own sync (SQLite: the
    /// connection syncs every other commit again; the next synced write carries it to disk).
    @Test(arguments: StoreBackend.allCases)
    func leaseWritesCommitAtOnceAndRollBackWhole(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            let store = ts.store
            try await store.write { tx in
                try tx.insertNoticeVersion(Rows.version("ntc_l", 1, state: .approved))
                try tx.insertDelivery(Rows.delivery("dlv_l1", notice: "ntc_l", channel: "print"))
            }
            struct Refused: Error {}
            await #expect(throws: Refused.self) {
                try await store.writeLease { tx in
                    _ = try tx.claimDue(channel: "print", now: Self.at(1), owner: "w1", leaseUntil: Self.at(61), limit: 1)
                    throw Refused()
                }
            }
            #expect(try await store.read { try $0.delivery("dlv_l1") }?.state == .pending, "rolled back whole")
            let claimed = try await store.writeLease { tx in
                try tx.claimDue(channel: "print", now: Self.at(2), owner: "w1", leaseUntil: Self.at(62), limit: 1)
            }
            #expect(claimed.map(\.id) == ["dlv_l1"])
            #expect(try await store.read { try $0.delivery("dlv_l1") }?.leaseOwner == "w1")
            if let sqlite = store as? SQLiteStore {
                #expect(try await sqlite.synchronousSetting() == 2, "FULL again for every other commit")
                // Another connection (another process) sees the lease at once.
                let other = try SQLiteStore(path: sqlite.path)
                #expect(try await other.read { try $0.delivery("dlv_l1") }?.leaseOwner == "w1")
                #expect(try await other.writeLease { try $0.claimDue(channel: "print", now: Self.at(3), owner: "w2",
                                                                       leaseUntil: Self.at(63), limit: 1) }.isEmpty)
                await other.close()
            }
        }
    }
}
