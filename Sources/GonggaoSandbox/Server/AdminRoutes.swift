import Foundation
import GonggaoHTTP

/// The `/_sandbox/…` endpoints tests and demos use to steer and inspect the portals. No
/// authentication: the sandbox listens on loopback and holds nothing real.
struct AdminRoutes: Sendable {
    let state: SandboxState
    let portalURLs: @Sendable () -> [String: String]

    func register(in router: inout Router) {
        router.post("/_sandbox/{portal}/faults", bodyLimit: 64 << 10) { req in withPortal(req) { addFaults($0, req) } }
        router.get("/_sandbox/{portal}/faults") { req in
            withPortal(req) { portal in .json(FaultList(faults: state.with(portal) { $0.faults })) }
        }
        router.delete("/_sandbox/{portal}/faults") { req in
            withPortal(req) { portal in
                state.with(portal) { $0.clearFaults() }
                return .json(FaultList(faults: []))
            }
        }
        router.get("/_sandbox/{portal}/items") { req in
            withPortal(req) { portal in .json(ItemList(items: state.with(portal) { $0.orderedItems })) }
        }
        router.get("/_sandbox/{portal}/items/{noticeId}") { req in
            withPortal(req) { portal in
                guard let item = state.with(portal, { $0.items[req.parameters["noticeId"] ?? ""] }) else {
                    return .error(
                        status: 404, code: "unknown-notice",
                        message: "no item for notice \(req.parameters["noticeId"] ?? "")")
                }
                return .json(item)
            }
        }
        router.get("/_sandbox/{portal}/log") { req in
            withPortal(req) { portal in .json(LogList(entries: state.with(portal) { $0.log })) }
        }
        router.post("/_sandbox/reset") { _ in
            state.reset()
            return .json(["reset": true])
        }
        router.get("/_sandbox/health") { _ in
            .json(Health(status: "ok", portals: portalURLs()))
        }
    }

    private func withPortal(_ request: HTTPRequest, _ body: (SandboxPortal) -> HTTPResponse) -> HTTPResponse {
        guard let name = request.parameters["portal"], let portal = SandboxPortal(name: name) else {
            return .error(
                status: 404, code: "unknown-portal",
                message: "unknown portal \(request.parameters["portal"] ?? ""); use provincial, county or mobile",
                field: "portal")
        }
        return body(portal)
    }

    /// One fault object or an array of them; every one is checked before any is queued.
    private func addFaults(_ portal: SandboxPortal, _ request: HTTPRequest) -> HTTPResponse {
        let data = Data(request.body)
        let faults: [SandboxFault]
        do {
            let isArray = request.body.first { !$0.isWhitespace } == UInt8(ascii: "[")
            faults =
                isArray
                ? try JSONCoding.decoder.decode([SandboxFault].self, from: data)
                : [try JSONCoding.decoder.decode(SandboxFault.self, from: data)]
        } catch {
            let modes = SandboxFault.Mode.allCases.map(\.rawValue).joined(separator: ", ")
            return .error(
                status: 422, code: "bad-fault",
                message: "a fault is {\"mode\": one of \(modes), …}: \(Self.describe(error))")
        }
        if let bad = faults.first(where: { $0.problem != nil }) {
            return .error(status: 422, code: "bad-fault", message: bad.problem!)
        }
        let queue = state.with(portal) { book in
            for fault in faults { book.enqueue(fault) }
            return book.faults
        }
        return .json(FaultList(faults: queue), status: 201)
    }

    private static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _)?: "missing \(key.stringValue)"
        case .typeMismatch(_, let c)?, .valueNotFound(_, let c)?, .dataCorrupted(let c)?:
            c.codingPath.isEmpty ? "not valid JSON" : "bad \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        default: "not valid JSON"
        }
    }
}

struct FaultList: Codable, Sendable { var faults: [QueuedFault] }
struct ItemList: Codable, Sendable { var items: [SandboxItem] }
struct LogList: Codable, Sendable { var entries: [SandboxLogEntry] }
struct Health: Codable, Sendable {
    var status: String
    var portals: [String: String]
}

private extension UInt8 {
    var isWhitespace: Bool { self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09 }
}
