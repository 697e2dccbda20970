/// The OpenAPI 3.1 description of the service, served at `/openapi.json`.
enum OpenAPIDocument {
    // Who may call what (admin may call everything).
    static let officers = ["drafter", "approver", "admin", "viewer"]
    static let posterRoles = ["drafter", "approver", "admin", "printer", "poster", "viewer"]
    static let drafters = ["drafter", "admin"]
    static let approvers = ["approver", "admin"]
    static let admins = ["admin"]
    static let everyRole = ["drafter", "approver", "admin", "printer", "poster", "viewer"]

    static func errorRef(_ name: String) -> JSONValue { ["$ref": .string("#/components/responses/\(name)")] }

    static func ok(_ schema: JSONValue, _ description: String = "OK") -> JSONValue {
        ["description": .string(description), "content": ["application/json": ["schema": schema]]]
    }

    static func body(_ schema: JSONValue, required: Bool = true, _ description: String? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if let description { members.append(("description", .string(description))) }
        members += [("required", .bool(required)), ("content", ["application/json": ["schema": schema]])]
        return .object(members)
    }

    static func query(_ name: String, _ schema: JSONValue, _ description: String) -> JSONValue {
        ["name": .string(name), "in": "query", "required": false, "description": .string(description), "schema": schema]
    }

    static let limit = query("limit", ["type": "integer", "minimum": 1], "most items to return")
    static let notFound = ("404", errorRef("NotFound"))
    static let conflict = ("409", errorRef("Conflict"))

    static let postingRoles = ["admin", "poster", "printer"]
    static let payers = ["drafter", "approver", "admin"]

    static let operations: [OpenAPIOperation] = projectOperations + noticeOperations + statutoryOperations + deliveryOperations
        + channelOperations + tokenOperations + operationsAndPages

    static let projectOperations: [OpenAPIOperation] = [
        OpenAPIOperation(method: "post", path: "/api/projects", id: "importProject", tag: "projects",
                         summary: "Import (or replace) a project and its parcels", roles: drafters,
                         requestBody: body(Schema.ref("ProjectFile")),
                         responses: [("200", ok(Schema.ref("ProjectDetail"), "replaced")), ("201", ok(Schema.ref("ProjectDetail"), "imported")),
                                     conflict]),
        OpenAPIOperation(method: "get", path: "/api/projects", id: "listProjects", tag: "projects",
                         summary: "List projects", roles: officers, responses: [("200", ok(Schema.list("ProjectSummary")))]),
        OpenAPIOperation(method: "get", path: "/api/projects/{key}", id: "showProject", tag: "projects",
                         summary: "A project with its parcels (survey households in full)", roles: officers,
                         responses: [("200", ok(Schema.ref("ProjectDetail"))), notFound]),
    ]

    static let noticeOperations: [OpenAPIOperation] = [
        OpenAPIOperation(method: "post", path: "/api/notices", id: "draftNotice", tag: "notices",
                         summary: "Draft a new notice (version 1)", roles: drafters, requestBody: body(Schema.ref("NoticeContent")),
                         responses: [("201", ok(Schema.ref("NoticeVersion"), "drafted"))]),
        OpenAPIOperation(method: "get", path: "/api/notices", id: "listNotices", tag: "notices",
                         summary: "The latest version of each notice, newest first", roles: officers,
                         parameters: [query("state", Schema.ref("NoticeState"), "only notices whose latest version is in this state"),
                                      query("kind", Schema.ref("NoticeKind"), "only this stage"),
                                      query("project", Schema.string, "only this project's notices"), limit],
                         responses: [("200", ok(Schema.list("NoticeVersion"))), ("400", errorRef("BadRequest"))]),
        OpenAPIOperation(method: "get", path: "/api/notices/{id}", id: "showNotice", tag: "notices",
                         summary: "A notice: every version, every delivery and each channel's latest delivery with its receipt",
                         roles: officers, responses: [("200", ok(Schema.ref("NoticeDetail"))), notFound]),
        OpenAPIOperation(method: "put", path: "/api/notices/{id}", id: "editNotice", tag: "notices",
                         summary: "Replace the content of the latest version while it is a draft (its drafter only)",
                         roles: drafters, requestBody: body(Schema.ref("NoticeContent")),
                         responses: [("200", ok(Schema.ref("ActionResult"))), notFound, conflict]),
        OpenAPIOperation(method: "post", path: "/api/notices/{id}/submit", id: "submitNotice", tag: "notices",
                         summary: "Submit the draft for approval (idempotent)", roles: drafters,
                         responses: [("200", ok(Schema.ref("ActionResult"))), notFound, conflict]),
        OpenAPIOperation(method: "post", path: "/api/notices/{id}/approve", id: "approveNotice", tag: "notices",
                         summary: "Approve (four-eyes: never by its drafter) and enqueue one delivery per channel. Idempotent: a repeated call answers the same approval; the Gonggao-Approval header says created or existing",
                         roles: approvers,
                         requestBody: body(Schema.ref("ApproveRequest"), required: false, "optional: the version to approve (default the latest); overrideGate: an admin's reason to approve although a stage gate is closed (audited)"),
                         responses: [("200", ok(Schema.ref("ApprovalResult"))), notFound,
                                     ("409", ok(Schema.ref("Error"), "wrong state, or a closed stage gate (error stage-gate: the rule and the earliest allowed date)"))]),
        OpenAPIOperation(method: "post", path: "/api/notices/{id}/reject", id: "rejectNotice", tag: "notices",
                         summary: "Send a submitted version back to draft with a reason", roles: approvers,
                         requestBody: body(Schema.ref("ReasonRequest")),
                         responses: [("200", ok(Schema.ref("ActionResult"))), notFound, conflict]),
        OpenAPIOperation(method: "post", path: "/api/notices/{id}/withdraw", id: "withdrawNotice", tag: "notices",
                         summary: "Withdraw (撤回) the approved version: cancel its waiting deliveries and take it down everywhere",
                         roles: approvers, requestBody: body(Schema.ref("ReasonRequest")),
                         responses: [("200", ok(Schema.ref("ActionResult"))), notFound, conflict]),
        OpenAPIOperation(method: "post", path: "/api/notices/{id}/correct", id: "correctNotice", tag: "notices",
                         summary: "Start a correction (更正): version n+1 as a draft, from the body or a copy of version n",
                         roles: drafters,
                         requestBody: body(Schema.ref("NoticeContent"), required: false, "optional: the corrected content"),
                         responses: [("201", ok(Schema.ref("NoticeVersion"), "the new draft version")), notFound, conflict]),
        OpenAPIOperation(method: "get", path: "/api/notices/{id}/versions/{version}", id: "showNoticeVersion", tag: "notices",
                         summary: "One version of a notice", roles: officers,
                         responses: [("200", ok(Schema.ref("NoticeVersion"))), notFound]),
        OpenAPIOperation(method: "get", path: "/api/notices/{id}/versions/{version}/poster.pdf", id: "posterPDF", tag: "posters",
                         summary: "The poster of a published (approved, superseded or withdrawn) version, as PDF", roles: posterRoles,
                         responses: [("200", ["description": "the poster", "content": ["application/pdf": ["schema": ["type": "string", "format": "binary"]]]]),
                                     notFound, conflict]),
        OpenAPIOperation(method: "get", path: "/api/notices/{id}/versions/{version}/poster.png", id: "posterPNG", tag: "posters",
                         summary: "The poster of a published version, as PNG (first page)", roles: posterRoles,
                         responses: [("200", ["description": "the poster", "content": ["image/png": ["schema": ["type": "string", "format": "binary"]]]]),
                                     notFound, conflict]),
    ]

    static let statutoryOperations: [OpenAPIOperation] = [
        OpenAPIOperation(method: "post", path: "/api/notices/{id}/postings", id: "confirmPosting", tag: "postings",
                         summary: "Confirm that the approved version's paper poster is up at one posting place (township or village)",
                         roles: postingRoles, requestBody: body(Schema.ref("PostingRequest")),
                         responses: [("201", ok(Schema.ref("PostingConfirmation"), "confirmed")), notFound,
                                     ("409", ok(Schema.ref("Error"), "not approved, or the place already confirmed (already-posted)"))]),
        OpenAPIOperation(method: "post", path: "/api/notices/{id}/postings/photo", id: "confirmPostingWithPhoto", tag: "postings",
                         summary: "Confirm a posting with a photo: the body is the JPEG (Content-Type image/jpeg, at most 10 MiB, else 413; another type 415), the fields are query parameters",
                         roles: postingRoles,
                         parameters: [query("place", Schema.string, "township:NAME or village:NAME (required)"),
                                      query("board", Schema.string, "the notice board (required)"),
                                      query("postedOn", Schema.date, "the day it went up (default today)"),
                                      query("version", Schema.integer, "the version posted (default the approved one)")],
                         requestBody: ["required": true, "description": "the photo",
                                       "content": ["image/jpeg": ["schema": ["type": "string", "format": "binary", "maxLength": .int(10 << 20)]]]],
                         responses: [("201", ok(Schema.ref("PostingConfirmation"), "confirmed")), notFound, conflict]),
        OpenAPIOperation(method: "get", path: "/api/notices/{id}/postings", id: "listPostings", tag: "postings",
                         summary: "The notice's posting places and confirmations, its posting period and the next stage's earliest date (provisional dates marked)",
                         roles: posterRoles, parameters: [query("version", Schema.integer, "this version (default the approved one)")],
                         responses: [("200", ok(Schema.ref("PostingReport"))), notFound, ("400", errorRef("BadRequest"))]),
        OpenAPIOperation(method: "post", path: "/api/payments", id: "recordPayment", tag: "payments",
                         summary: "Record compensation paid for one parcel to one payee group", roles: payers,
                         requestBody: body(Schema.ref("PaymentRequest")),
                         responses: [("201", ok(Schema.ref("PaymentRecord"), "recorded"))]),
        OpenAPIOperation(method: "get", path: "/api/warnings", id: "listWarnings", tag: "warnings",
                         summary: "Statutory warnings, newest first", roles: officers,
                         parameters: [query("state", Schema.oneOf(["active", "open", "acknowledged", "resolved", "all"]), "default active: open and acknowledged"),
                                      query("project", Schema.string, "only this project's warnings"),
                                      query("kind", Schema.ref("WarningKind"), "only this kind"), limit],
                         responses: [("200", ok(Schema.list("Warning"))), ("400", errorRef("BadRequest"))]),
        OpenAPIOperation(method: "post", path: "/api/warnings/evaluate", id: "evaluateWarnings", tag: "warnings",
                         summary: "Evaluate the warning rules now (each condition raised once, escalated at its breach, resolved when it clears)",
                         roles: approvers, parameters: [query("project", Schema.string, "only this project")],
                         responses: [("200", ok(Schema.ref("WarningEvaluation"))), ("400", errorRef("BadRequest"))]),
        OpenAPIOperation(method: "post", path: "/api/warnings/{id}/ack", id: "acknowledgeWarning", tag: "warnings",
                         summary: "Acknowledge a warning (it stays listed until its condition clears)", roles: payers,
                         responses: [("200", ok(Schema.ref("Warning"))), notFound]),
    ]

    static let deliveryOperations: [OpenAPIOperation] = [
        OpenAPIOperation(method: "get", path: "/api/deliveries", id: "listDeliveries", tag: "deliveries",
                         summary: "Deliveries, oldest first", roles: officers,
                         parameters: [query("notice", Schema.string, "notice id"), query("version", Schema.integer, "notice version"),
                                      query("state", Schema.ref("DeliveryState"), "delivery state"), query("channel", Schema.string, "channel name"), limit],
                         responses: [("200", ok(Schema.list("Delivery"))), ("400", errorRef("BadRequest"))]),
        OpenAPIOperation(method: "post", path: "/api/deliveries/replay", id: "replayDeliveries", tag: "deliveries",
                         summary: "Re-queue a channel's dead letters since an instant (never a superseded or withdrawn version)",
                         roles: approvers, requestBody: body(Schema.ref("ReplayRequest")),
                         responses: [("200", ok(Schema.list("Delivery"), "the re-queued deliveries"))]),
        OpenAPIOperation(method: "get", path: "/api/deliveries/{id}", id: "showDelivery", tag: "deliveries",
                         summary: "A delivery with its attempt log", roles: officers,
                         responses: [("200", ok(Schema.ref("DeliveryDetail"))), notFound]),
        OpenAPIOperation(method: "post", path: "/api/deliveries/{id}/retry", id: "retryDelivery", tag: "deliveries",
                         summary: "Put a dead or retrying delivery back in the queue, due now", roles: approvers,
                         responses: [("200", ok(Schema.ref("Delivery"))), notFound, conflict]),
    ]

    static let channelOperations: [OpenAPIOperation] = [
        OpenAPIOperation(method: "get", path: "/api/channels", id: "listChannels", tag: "channels",
                         summary: "Each channel's deliveries by state, pause and circuit state", roles: officers,
                         responses: [("200", ok(Schema.list("Channel")))]),
        OpenAPIOperation(method: "post", path: "/api/channels/{name}/pause", id: "pauseChannel", tag: "channels",
                         summary: "Pause a channel (its deliveries wait, visibly)", roles: approvers,
                         responses: [("200", ok(Schema.ref("Channel"))), notFound]),
        OpenAPIOperation(method: "post", path: "/api/channels/{name}/resume", id: "resumeChannel", tag: "channels",
                         summary: "Resume a paused channel", roles: approvers,
                         responses: [("200", ok(Schema.ref("Channel"))), notFound]),
    ]

    static let tokenOperations: [OpenAPIOperation] = [
        OpenAPIOperation(method: "get", path: "/api/me", id: "whoAmI", tag: "tokens",
                         summary: "The user and token of this request", roles: everyRole,
                         responses: [("200", ok(Schema.ref("WhoAmI")))]),
        OpenAPIOperation(method: "get", path: "/api/tokens", id: "listTokens", tag: "tokens",
                         summary: "API tokens (never their text)", roles: admins,
                         parameters: [query("user", Schema.string, "only this user's tokens")],
                         responses: [("200", ok(Schema.list("Token")))]),
        OpenAPIOperation(method: "post", path: "/api/tokens", id: "createToken", tag: "tokens",
                         summary: "Create a token for a user; its text is in this answer only", roles: admins,
                         requestBody: body(Schema.ref("TokenRequest")),
                         responses: [("201", ok(Schema.ref("IssuedToken"), "created"))]),
        OpenAPIOperation(method: "delete", path: "/api/tokens/{id}", id: "revokeToken", tag: "tokens",
                         summary: "Revoke a token (idempotent)", roles: admins,
                         responses: [("200", ok(Schema.ref("Token"))), notFound]),
    ]

    static let html: JSONValue = ["text/html": ["schema": ["type": "string"]]]

    static let operationsAndPages: [OpenAPIOperation] = [
        OpenAPIOperation(method: "get", path: "/healthz", id: "health", tag: "operations", summary: "Alive", roles: nil,
                         responses: [("200", ok(Schema.object([("status", Schema.oneOf(["ok"]))], required: ["status"])))]),
        OpenAPIOperation(method: "get", path: "/readyz", id: "ready", tag: "operations",
                         summary: "Ready: the store answers and this process's workers (if any) run", roles: nil,
                         responses: [("200", ok(Schema.ref("Readiness"))), ("503", ok(Schema.ref("Readiness"), "not ready"))]),
        OpenAPIOperation(method: "get", path: "/metrics", id: "metrics", tag: "operations",
                         summary: "Prometheus metrics (text format 0.0.4)", roles: nil,
                         responses: [("200", ["description": "metrics", "content": ["text/plain": ["schema": ["type": "string"]]]])]),
        OpenAPIOperation(method: "get", path: "/openapi.json", id: "openapi", tag: "operations",
                         summary: "This document", roles: nil, responses: [("200", ok(["type": "object"]))]),
        OpenAPIOperation(method: "get", path: "/p/{key}", id: "parcelPage", tag: "public",
                         summary: "The public page of a parcel or project (the QR code's URL): HTML, ETag, personal names masked",
                         roles: nil,
                         responses: [("200", ["description": "the page", "content": html]), ("304", ["description": "not modified"]),
                                     ("404", ["description": "a friendly page: no such parcel or project", "content": html])]),
        OpenAPIOperation(method: "get", path: "/p/{key}/notices/{id}/versions/{version}/poster.pdf", id: "publicPosterPDF", tag: "public",
                         summary: "The poster PDF of a published version covering this parcel or project", roles: nil,
                         responses: [("200", ["description": "the poster", "content": ["application/pdf": ["schema": ["type": "string", "format": "binary"]]]]),
                                     notFound]),
    ]

    /// The whole document.
    static func document(publicBaseURL: String) -> JSONValue {
        var paths: [(String, [(String, JSONValue)])] = []
        for op in operations {
            if let i = paths.firstIndex(where: { $0.0 == op.path }) {
                paths[i].1.append((op.method, op.json))
            } else {
                paths.append((op.path, [(op.method, op.json)]))
            }
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Gonggao (公告) API",
                "version": "1.0.0",
                "description": "Publishing land-expropriation notices: officers draft, submit and approve (four-eyes); an approval enqueues one delivery per channel; villagers open the parcel page from the poster's QR code. Authenticate with 'Authorization: Bearer <token>' (gonggao token create --user U). Errors are {error, message, field?}.",
            ],
            "servers": [["url": .string(publicBaseURL)]],
            "tags": .array(["projects", "notices", "posters", "deliveries", "channels", "tokens", "operations", "public"].map { ["name": .string($0)] }),
            "paths": .object(paths.map { ($0.0, JSONValue.object($0.1)) }),
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer", "description": "an API token (ggt_…); only its SHA-256 is stored"]],
                "responses": errorResponses,
                "schemas": OpenAPISchemas.all,
            ],
        ]
    }

    static let errorResponses: JSONValue = .object(
        [("BadRequest", "malformed JSON (naming line and column) or a bad parameter"), ("Unauthorized", "no token, or an unknown, expired or revoked one"),
         ("Forbidden", "the user's roles do not allow this (or the four-eyes rule)"), ("NotFound", "no such resource"),
         ("Conflict", "the resource is in the wrong state for this"), ("PayloadTooLarge", "the body is over the route's limit"),
         ("UnsupportedMediaType", "the body is not application/json"), ("Unprocessable", "a field is invalid (named in field)"),
         ("TooManyRequests", "too many failed logins from this address; see Retry-After")].map { name, text in
            (name, ok(Schema.ref("Error"), text))
        })

    /// The serialized document.
    static func json(publicBaseURL: String) -> String { document(publicBaseURL: publicBaseURL).serialized() }
}
