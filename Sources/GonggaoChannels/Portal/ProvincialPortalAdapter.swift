import Foundation
import GonggaoCore

/// `provincial-portal` (省级征迁信息公开平台): one JSON item per notice, keyed by our notice id.
///
/// | operation | request |
/// |---|---|
/// | create (version 1) | `POST {url}/items` |
/// | create (a later version, e.g. a correction the portal never got), update | `PUT {url}/items/{noticeId}` — creates the item when absent |
/// | withdraw | `POST {url}/items/{noticeId}/withdraw` |
///
/// The answer's `publicationId` and `url` become the receipt. Bodies come from
/// `Templates/channels/provincial-portal/{item,withdraw}.json`.
public struct ProvincialPortalAdapter: ChannelAdapter {
    public let channel: String
    public let timeout: Duration
    let portal: PortalClient
    let templates: PortalTemplates

    init(portal: PortalClient, templates: PortalTemplates, timeout: Duration) {
        self.channel = portal.channel
        self.portal = portal
        self.templates = templates
        self.timeout = timeout
    }

    /// Template files under `Templates/channels/provincial-portal/`.
    static let defaultTemplates = (publish: "item.json", withdraw: "withdraw.json")

    static func context(_ request: ChannelRequest, channel: String) -> TemplateValue {
        RequestContext.make(request, channel: channel)
    }

    public func send(_ request: ChannelRequest) async -> ChannelOutcome {
        let id = PortalClient.segment(request.notice.id)
        let method: HTTPClientRequest.Method
        let path: String
        switch request.operation {
        case .create where request.notice.version == 1:
            (method, path) = (.post, "/items")
        case .create, .update:
            (method, path) = (.put, "/items/\(id)")
        case .withdraw:
            (method, path) = (.post, "/items/\(id)/withdraw")
        }
        let context = Self.context(request, channel: channel)
        switch templates.render(request.operation, context) {
        case .body(let body): return await portal.push(request, method: method, path: path, body: body)
        case .failed(let outcome): return outcome
        }
    }
}
