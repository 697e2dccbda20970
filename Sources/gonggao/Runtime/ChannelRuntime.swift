import Foundation
import GonggaoChannels
import GonggaoCore
import GonggaoDelivery
import GonggaoPoster
import GonggaoStore
import Synchronization

/// The delivery side of a process, built from config: one adapter per enabled channel (secrets
/// read, templates checked, so a bad config fails at start with the key named), and the engine.
final class ChannelRuntime: Sendable {
    let client: HTTPClient
    let adapters: [any ChannelAdapter]
    /// The print channels' preview queues (PNG pages rendered after the PDF is acknowledged).
    let previews: [SpoolPreviews]

    /// Builds every enabled channel's adapter; the error names the config key.
    init(config: Config, environment: [String: String], logger: Logger) throws {
        client = try HTTPClient(logger: logger.with(["component": "http-client"]))
        var factory = ChannelFactory()
        let kit = PosterKit(config: config)
        let storeFolder = config.storeFolder
        let previewQueues = Mutex<[SpoolPreviews]>([])
        factory.register(type: ChannelKind.print) { channel, _ in
            let printing = try kit.printing()
            let spoolPath = channel.spool ?? (channel.url == nil ? (storeFolder as NSString).appendingPathComponent("spool") : nil)
            let spool = spoolPath.map { SpoolFolder(root: $0) }
            // PNG pages follow the PDF (acknowledged first) on a queue of their own; none without a spool folder.
            let previews = try spool.map { try printing.previews(spool: $0, logger: logger) }
            if let previews { previewQueues.withLock { $0.append(previews) } }
            let pngPages: PosterPrinting.PNGPages = previews == nil ? .none : .later
            return PrintAdapter(channel: channel.name, timeout: .seconds(channel.timeoutSeconds ?? 60), spool: spool,
                                printer: channel.url.map { (IPPClient(), $0) }, previews: previews) { request in
                try await printing.document(for: request, pngPages: pngPages)
            }
        }
        let context = ChannelFactory.Context(
            secrets: .process(environment: environment), client: client, logger: logger,
            templateDirectory: (config.templates as NSString).appendingPathComponent("channels"))
        do {
            adapters = try config.channels.enumerated().filter { $0.element.enabled }.map { i, channel in
                var channel = channel
                channel.keyPath = "channels[\(i)]"
                return try factory.makeAdapter(config: channel, context: context)
            }
            previews = previewQueues.withLock { $0 }
            _ = try lanes(config) // a lease too short for its channel is a start-up error
        } catch let e as ValidationError {
            client.close()
            throw ConfigError(file: config.file, "\(e)")
        } catch {
            client.close()
            throw error
        }
    }

    /// One lane per adapter: the channel's own `delivery` block over the global one. Refuses a lease
    /// that is not longer than the channel's timeout, naming the key.
    func lanes(_ config: Config) throws -> [LaneSettings] {
        try adapters.map { adapter in
            let index = config.channels.firstIndex { $0.name == adapter.channel }
            let overrides = index.flatMap { config.channels[$0].delivery }
            let lane = config.delivery.lane(for: adapter, overrides: overrides)
            if let problem = lane.leaseProblem {
                let key = overrides?.leaseSeconds != nil ? "channels[\(index ?? 0)].delivery.leaseSeconds"
                                                         : "channels[\(index ?? 0)].timeoutSeconds"
                throw ConfigError(file: config.file, path: key, problem)
            }
            return lane
        }
    }

    /// The engine over `store` with this runtime's lanes.
    func engine(store: any NoticeStore, config: Config, logger: Logger, now: @escaping @Sendable () -> Date) throws -> DeliveryEngine {
        let base = config.publicBaseURL
        return DeliveryEngine(store: store, lanes: try lanes(config), logger: logger,
                              pollInterval: .milliseconds(config.delivery.pollMilliseconds), now: now,
                              publicURL: { _, content in PosterInput.parcelPageURL(base: base, content: content) })
    }

    /// Starts the preview pages a previous run left unrendered (their files are read off the cooperative pool).
    func recoverPreviews() async {
        for queue in previews { _ = try? await SpoolFolder.offPool { queue.recover() } }
    }

    /// Stops the HTTP client and the preview queues. `drainPreviews` (`--until-idle`) first waits for
    /// every queued preview; otherwise the unrendered ones stay recorded for the next run.
    func close(drainPreviews: Bool = false) async {
        for queue in previews {
            if drainPreviews { await queue.drain() }
            queue.stop()
        }
        await client.shutdown()
    }
}
