import Foundation
import GonggaoChannels
import GonggaoCore
import GonggaoDelivery
import GonggaoStore

/// The officers' alert endpoint (`warnings.alerts`) as a part of the `serve`/`worker` task group.
enum AlertLoop {
    /// The name alert deliveries carry (they are not one of a notice's channels).
    static let channel = "officer-alerts"

    /// The dispatcher's run loop, or nil when no alert endpoint is configured.
    /// - Throws: `ConfigError` naming `warnings.alerts.signing.secrets[i]` when a secret cannot be read.
    static func part(_ ctx: Context, store: any NoticeStore, now: @escaping @Sendable () -> Date, logger: Logger) throws
        -> (@Sendable () async -> Void)? {
        guard let settings = ctx.config.statutorySettings.warnings.alerts else { return nil }
        let source = SecretSource.process(environment: ctx.environment)
        var secrets: [StandardWebhooks.Secret] = []
        for (i, reference) in settings.signing.secrets.enumerated() {
            let key = "warnings.alerts.signing.secrets[\(i)]"
            let text: SecretText
            do { text = try source.resolve(reference) } catch { throw ConfigError(file: ctx.config.file, "\(key): \(error)") }
            guard let secret = StandardWebhooks.Secret(text.reveal()) else {
                throw ConfigError(file: ctx.config.file, "\(key): \(reference) does not hold a whsec_ secret")
            }
            secrets.append(secret)
        }
        var options = HTTPTransportOptions()
        options.timeout = .milliseconds(Int64(settings.timeoutSeconds * 1000))
        let client = try HTTPClient(logger: logger)
        let policy = ctx.config.delivery.retryPolicy
        let dispatcher = AlertDispatcher(
            store: store, endpoint: AlertEndpoint(url: settings.url, signer: WebhookSigner(secrets: secrets), options: options),
            client: client, policy: policy, now: now, logger: logger)
        return {
            await dispatcher.run()
            await client.shutdown()
        }
    }
}
