import Foundation
import GonggaoCore

/// `county-column` (县政府重点领域公开专栏): a government-disclosure article — the metadata block
/// (索引号, 主题分类, 发文机关, 成文日期, 标题, 发文字号, 发布日期) plus the body — with a bearer token.
///
/// | operation | request |
/// |---|---|
/// | create, update | `POST {url}/articles` (the portal creates or updates by notice id + version) |
/// | withdraw | `POST {url}/articles/{noticeId}/withdraw` |
///
/// 索引号 = `{orgCode}/{year}-{seq:5}`: the org code from config, the year of the date written, and
/// `ChannelRequest.noticeSequence` — a number the store gives the notice once and never reuses, so
/// every retry, update and replay of one notice carries the same index number and no two notices
/// share one. Without it a publish is rejected rather than invent a number that could collide.
public struct CountyColumnAdapter: ChannelAdapter {
    public let channel: String
    public let timeout: Duration
    let portal: PortalClient
    let templates: PortalTemplates
    let settings: ChannelConfig.CountySettings

    init(portal: PortalClient, templates: PortalTemplates, settings: ChannelConfig.CountySettings, timeout: Duration) {
        self.channel = portal.channel
        self.portal = portal
        self.templates = templates
        self.settings = settings
        self.timeout = timeout
    }

    static let defaultTemplates = (publish: "article.json", withdraw: "withdraw.json")

    /// `000014349/2026-00012`.
    public static func indexNumber(orgCode: String, year: Int, sequence: Int) -> String {
        "\(orgCode)/\(year)-" + String(format: "%05d", sequence)
    }

    static func context(_ request: ChannelRequest, channel: String, settings: ChannelConfig.CountySettings)
        -> TemplateValue
    {
        let index = request.noticeSequence.map {
            indexNumber(orgCode: settings.orgCode, year: request.notice.content.dateWritten.year, sequence: $0)
        }
        return RequestContext.make(
            request, channel: channel,
            extra: [
                "county": .object([
                    "indexNumber": .optional(index),
                    "orgCode": .string(settings.orgCode),
                    "topic": .string(settings.topic),
                    "siteId": .optional(settings.siteId),
                ])
            ])
    }

    public func send(_ request: ChannelRequest) async -> ChannelOutcome {
        let method = HTTPClientRequest.Method.post
        let path: String
        switch request.operation {
        case .create, .update:
            guard request.noticeSequence != nil else {
                return .rejected(
                    "no notice sequence for the 索引号: the delivery engine must supply ChannelRequest.noticeSequence")
            }
            path = "/articles"
        case .withdraw:
            path = "/articles/\(PortalClient.segment(request.notice.id))/withdraw"
        }
        let context = Self.context(request, channel: channel, settings: settings)
        switch templates.render(request.operation, context) {
        case .body(let body): return await portal.push(request, method: method, path: path, body: body)
        case .failed(let outcome): return outcome
        }
    }
}
