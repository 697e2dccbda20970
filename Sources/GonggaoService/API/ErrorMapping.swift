import Foundation
import GonggaoCore
import GonggaoDelivery
import GonggaoHTTP
import GonggaoStore

/// Turns what handlers throw into the `{error, message, field?}` answer with the right status.
enum ErrorMapping {
    static func response(for error: any Error, logger: Logger, request: HTTPRequest) -> HTTPResponse {
        switch error {
        case let early as EarlyResponse:
            return early.response
        case let http as HTTPError:
            return http.response
        case let v as ValidationError:
            return .error(status: 422, code: "validation-failed", message: v.message, field: v.field)
        case let w as WorkflowError:
            return workflow(w)
        case let r as DeliveryDesk.Refusal:
            switch r {
            case .notRetryable: return .error(status: 409, code: "not-retryable", message: r.description)
            case .versionNotCurrent: return .error(status: 409, code: "version-not-current", message: r.description)
            case .unknownChannel: return .error(status: 422, code: "unknown-channel", message: r.description, field: "channel")
            }
        case let s as StoreError:
            switch s {
            case .conflict: return .error(status: 409, code: "conflict", message: s.description)
            case .notFound: return .error(status: 404, code: "not-found", message: s.description)
            default:
                logger.error("store failure", ["http.request_id": request.requestID, "error": s.description])
                return .error(status: 503, code: "store-unavailable", message: "the store is unavailable; try again")
            }
        case is CancellationError:
            return .error(status: 503, code: "shutting-down", message: "the server is shutting down")
        default:
            logger.error("request failed", ["http.request_id": request.requestID, "error": String(describing: error)])
            return .error(status: 500, code: "internal-error", message: "the request failed (request id \(request.requestID))")
        }
    }

    static func workflow(_ w: WorkflowError) -> HTTPResponse {
        let m = w.description
        return switch w {
        case .unknownUser: .error(status: 422, code: "unknown-user", message: m, field: "user")
        case .notPermitted: .error(status: 403, code: "not-permitted", message: m)
        case .fourEyes: .error(status: 403, code: "four-eyes", message: m)
        case .notDrafter: .error(status: 403, code: "not-drafter", message: m)
        case .wrongState: .error(status: 409, code: "wrong-state", message: m)
        case .notLatest: .error(status: 409, code: "not-latest", message: m)
        case .correctionOpen: .error(status: 409, code: "correction-open", message: m)
        case .reasonRequired: .error(status: 422, code: "validation-failed", message: m, field: "reason")
        case .unknownNotice: .error(status: 404, code: "notice-not-found", message: m)
        case .unknownVersion: .error(status: 404, code: "version-not-found", message: m)
        case .unknownProject: .error(status: 404, code: "project-not-found", message: m)
        case .unknownDelivery: .error(status: 404, code: "delivery-not-found", message: m)
        case .unchanged: .error(status: 409, code: "unchanged", message: m)
        case .stageGate: .error(status: 409, code: "stage-gate", message: m)
        case .unknownPlace: .error(status: 422, code: "validation-failed", message: m, field: "place")
        case .alreadyPosted: .error(status: 409, code: "already-posted", message: m)
        }
    }
}
