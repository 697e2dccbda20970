import Foundation
import GonggaoCore

/// `mobile-platform` (浙里办): a short card — title ≤ 30 characters, summary ≤ 120, cut at a
/// character boundary with "…" — linking to the parcel page; app key header plus signature.
///
/// | operation | request |
/// |---|---|
/// | create, update | `POST {url}/cards` (create, or update when the version is newer) |
/// | withdraw | `POST {url}/cards/{noticeId}/withdraw` |
public struct MobilePlatformAdapter: ChannelAdapter {
    public let channel: String
    public let timeout: Duration
    let portal: PortalClient
    let templates: PortalTemplates
    let limits: ChannelConfig.MobileSettings

    init(portal: PortalClient, templates: PortalTemplates, limits: ChannelConfig.MobileSettings, timeout: Duration) {
        self.channel = portal.channel
        self.portal = portal
        self.templates = templates
        self.limits = limits
        self.timeout = timeout
    }

    static let defaultTemplates = (publish: "card.json", withdraw: "withdraw.json")

    /// The card's title and summary within `limits`; the summary is the body's paragraphs run
    /// together (Chinese needs no space between them).
    public static func card(_ request: ChannelRequest, limits: ChannelConfig.MobileSettings) -> (
        title: String, summary: String
    ) {
        let content = request.notice.content
        let summary = content.body.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined()
        return (
            TextLimit.cut(content.title.trimmingCharacters(in: .whitespacesAndNewlines), to: limits.titleLimit),
            TextLimit.cut(summary.isEmpty ? content.title : summary, to: limits.summaryLimit)
        )
    }

    static func context(_ request: ChannelRequest, channel: String, limits: ChannelConfig.MobileSettings)
        -> TemplateValue
    {
        let card = card(request, limits: limits)
        return RequestContext.make(
            request, channel: channel,
            extra: [
                "card": .object([
                    "title": .string(card.title), "summary": .string(card.summary), "link": .string(request.publicURL),
                ])
            ])
    }

    public func send(_ request: ChannelRequest) async -> ChannelOutcome {
        let path: String
        switch request.operation {
        case .create, .update: path = "/cards"
        case .withdraw: path = "/cards/\(PortalClient.segment(request.notice.id))/withdraw"
        }
        let context = Self.context(request, channel: channel, limits: limits)
        switch templates.render(request.operation, context) {
        case .body(let body): return await portal.push(request, method: .post, path: path, body: body)
        case .failed(let outcome): return outcome
        }
    }
}
