import Foundation
import GonggaoCore
import GonggaoHTTP
@testable import GonggaoSandbox
import HTTPTestSupport
import Synchronization

/// A sandbox on an OS-chosen port with known credentials and a settable clock, plus a signer.
final class SandboxHarness: Sendable {
    static let provincialSecret = StandardWebhooks.Secret(
        "whsec_" + Data("provincial-test-secret-key".utf8).base64EncodedString())!
    static let countySecret = StandardWebhooks.Secret(
        "whsec_" + Data("county-test-secret-key-000".utf8).base64EncodedString())!
    static let mobileSecret = StandardWebhooks.Secret(
        "whsec_" + Data("mobile-test-secret-key-000".utf8).base64EncodedString())!
    static let bearer = "county-token-123"
    static let appKey = "mobile-app-key-456"
    /// 2026-03-02T08:00:00Z.
    static let t0 = Date(timeIntervalSince1970: 1_772_438_400)

    let clock = SettableClock(SandboxHarness.t0)
    let capture = LogCapture()
    let server: SandboxServer

    init(_ change: (inout SandboxConfig) -> Void = { _ in }) throws {
        var config = SandboxConfig(
            provincial: .init(secrets: [Self.provincialSecret]),
            county: .init(secrets: [Self.countySecret], credential: Self.bearer),
            mobile: .init(secrets: [Self.mobileSecret], credential: Self.appKey))
        config.http.threads = 2
        config.http.shutdownGrace = .milliseconds(300)
        let clock = self.clock
        config.now = { clock.now }
        change(&config)
        server = SandboxServer(config: config, logger: capture.logger)
        try server.start()
    }

    var port: UInt16 { server.port }
    var now: Date { clock.now }

    func stop() async { await server.stop() }

    static func secret(_ portal: SandboxPortal) -> StandardWebhooks.Secret {
        switch portal {
        case .provincial: provincialSecret
        case .county: countySecret
        case .mobile: mobileSecret
        }
    }

    /// Sends `object` as a signed push to `path` with the portal's credential unless overridden.
    func push(
        _ portal: SandboxPortal, _ path: String, _ object: [String: Any], method: String = "POST",
        webhookId: String = Identifier.make("dlv"), timestamp: Date? = nil, secret: StandardWebhooks.Secret? = nil,
        extraSignatureSecrets: [StandardWebhooks.Secret] = [], credential: String?? = .none,
        timeout: Duration = .seconds(10)
    ) async throws -> LoopbackResponse {
        let body = Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
        let ts = Int64((timestamp ?? now).timeIntervalSince1970)
        var headers = StandardWebhooks.headers(
            id: webhookId, timestamp: ts, body: body,
            secrets: [secret ?? Self.secret(portal)] + extraSignatureSecrets)
        headers.append(("Content-Type", "application/json"))
        switch portal {
        case .provincial: break
        case .county:
            if let token = credential ?? Self.bearer { headers.append(("Authorization", "Bearer \(token)")) }
        case .mobile:
            if let key = credential ?? Self.appKey { headers.append(("X-App-Key", key)) }
        }
        return try await Loopback.request(port: port, method, path, headers: headers, body: body, timeout: timeout)
    }

    /// Queues a fault over the admin endpoint.
    func fault(_ portal: SandboxPortal, _ object: [String: Any]) async throws -> LoopbackResponse {
        try await Loopback.json(port: port, "POST", "/_sandbox/\(portal.rawValue)/faults", object)
    }
}

/// A clock tests set by hand.
final class SettableClock: Sendable {
    private let value: Mutex<Date>
    init(_ start: Date) { value = Mutex(start) }
    var now: Date { value.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { value.withLock { $0 += seconds } }
}

/// Valid bodies of each shape.
enum Payloads {
    static func provincial(
        _ id: String = "ntc_a1", version: Int = 1, title: String = "安吉县梅溪镇2026-37-1地块征收土地预公告"
    ) -> [String: Any] {
        [
            "noticeId": id, "version": version, "kind": "pre-announcement", "title": title, "issuer": "安吉县人民政府",
            "documentNumber": "安政征预〔2026〕37号", "dateWritten": "2026-03-01",
            "paragraphs": ["根据《中华人民共和国土地管理法》第四十七条……", "特此公告。"],
            "parcelUrl": "https://gonggao.example.cn/p/330523-2026-37-1", "divisionCode": "330523",
        ]
    }

    static func county(
        _ id: String = "ntc_c1", version: Int = 1, indexNumber: String = "000014349/2026-00012"
    ) -> [String: Any] {
        [
            "noticeId": id, "version": version,
            "metadata": [
                "indexNumber": indexNumber, "topic": "征地拆迁", "issuingBody": "安吉县人民政府", "dateWritten": "2026-03-01",
                "title": "征收土地预公告", "documentNumber": "安政征预〔2026〕37号", "publishedOn": "2026-03-02",
            ],
            "body": "根据……\n特此公告。", "siteId": "3305230001",
        ]
    }

    static func mobile(
        _ id: String = "ntc_m1", version: Int = 1, title: String = "梅溪镇征收土地预公告",
        summary: String = "安吉县人民政府拟征收梅溪镇2026-37-1地块，请相关权利人关注。"
    ) -> [String: Any] {
        [
            "noticeId": id, "version": version, "title": title, "summary": summary,
            "link": "https://gonggao.example.cn/p/330523-2026-37-1",
        ]
    }
}
