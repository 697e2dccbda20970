import Foundation
import GonggaoCore
import GonggaoDelivery
import GonggaoStore

extension CommandSpec {
    /// `gonggao channel list`.
    static let channelList = CommandSpec(
        path: ["channel", "list"],
        summary: "every channel: paused or running, circuit, deliveries by state, oldest waiting, last success",
        options: [.json]
    ) { inv, ctx in
        let overview = try await ctx.withStore { store in try await ctx.desk(store).overview() }
        if inv.json {
            try ctx.output.json(overview.map(ChannelOverviewView.init))
            return
        }
        var table = Table("CHANNEL", "TYPE", "STATE", "CIRCUIT", "PENDING", "RETRYING", "DELIVERED", "DEAD", "OLDEST WAITING",
                          "LAST SUCCESS")
        for o in overview {
            let type = ctx.config.channels.first { $0.name == o.channel }.map { $0.enabled ? $0.type : "\($0.type) (disabled)" } ?? "?"
            let waiting = (o.counts[.pending] ?? 0) + (o.counts[.inFlight] ?? 0)
            table.add(o.channel, type, o.paused ? "paused" : "running", o.circuit.map(Self.circuitText) ?? "-",
                      "\(waiting)", "\(o.counts[.retrying] ?? 0)",
                      "\(o.counts[.delivered] ?? 0)", "\(o.counts[.dead] ?? 0)",
                      o.oldestWaiting.map(ShanghaiTime.text) ?? "-", o.lastSuccess.map(ShanghaiTime.text) ?? "-")
        }
        ctx.output.lines(table.lines)
        ctx.output.line("circuit: as the last worker to use the channel recorded it ('-': no worker has run it yet)")
    }

    /// `open since 2026-12-01 09:00:05 (5 failures)`, `closed`, `closed (2 failures)`.
    static func circuitText(_ c: ChannelCircuit) -> String {
        let failures = c.consecutiveFailures == 1 ? "1 failure" : "\(c.consecutiveFailures) failures"
        if c.state == "closed" { return c.consecutiveFailures == 0 ? "closed" : "closed (\(failures))" }
        return "\(c.state) since \(ShanghaiTime.text(c.since)) (\(failures))"
    }

    /// `gonggao channel pause NAME --as USER`.
    static let channelPause = channelToggle(pause: true)
    /// `gonggao channel resume NAME --as USER`.
    static let channelResume = channelToggle(pause: false)

    private static func channelToggle(pause: Bool) -> CommandSpec {
        CommandSpec(
            path: ["channel", pause ? "pause" : "resume"],
            summary: pause ? "pause a channel: its deliveries wait, visibly, and are never dropped"
                           : "resume a paused channel: its waiting deliveries go out",
            arguments: [ArgumentSpec(name: "NAME", help: "the channel name from the config")],
            options: [.user]
        ) { inv, ctx in
            let name = inv.argument("NAME")
            try await ctx.withStore { store in try await ctx.desk(store).setPaused(name, pause, as: inv.user) }
            ctx.output.line("\(pause ? "paused" : "resumed") \(name)")
        }
    }
}

/// `channel list --json`: one channel's overview.
struct ChannelOverviewView: Encodable {
    var channel: String
    var paused: Bool
    var counts: [String: Int]
    var oldestWaiting: Date?
    var lastSuccess: Date?
    /// `{state, since, consecutiveFailures, reopensAt?, worker, recordedAt}`; absent when no worker ran the channel.
    var circuit: ChannelCircuit?

    init(_ o: ChannelOverview) {
        channel = o.channel
        paused = o.paused
        counts = Dictionary(uniqueKeysWithValues: o.counts.map { ($0.key.rawValue, $0.value) })
        oldestWaiting = o.oldestWaiting
        lastSuccess = o.lastSuccess
        circuit = o.circuit
    }
}
