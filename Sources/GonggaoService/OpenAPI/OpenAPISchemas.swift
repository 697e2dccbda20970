import GonggaoCore

/// The document's `components.schemas`: the shapes of bodies and answers.
enum OpenAPISchemas {
    typealias S = Schema

    static let all: JSONValue = .object([
        ("Error", S.object([("error", S.string("a stable code: validation-failed, four-eyes, wrong-state, …")),
                            ("message", S.string), ("field", S.string("the JSON path of the bad field, when one is to blame"))],
                           required: ["error", "message"])),
        ("NoticeKind", S.oneOf(NoticeKind.allCases.map(\.rawValue))),
        ("NoticeState", S.oneOf(NoticeState.allCases.map(\.rawValue))),
        ("DeliveryState", S.oneOf(DeliveryState.allCases.map(\.rawValue))),
        ("County", S.object([("code", S.string("6-digit division code")), ("name", S.string), ("city", S.string), ("province", S.string)],
                            required: ["code", "name"])),
        ("LandUseLine", S.object([("code", S.string("GB/T 21010 class, 4 digits")), ("name", S.string), ("areaMu", S.number)],
                                 required: ["code", "name", "areaMu"])),
        ("GeoJSONPolygon", S.object([("type", S.oneOf(["Polygon"])), ("coordinates", S.array(S.array(S.array(S.number))))],
                                    required: ["type", "coordinates"])),
        ("SurveyHousehold", S.object([("name", S.string("head of household: personal data, masked on public pages")),
                                      ("dwellingAreaM2", S.number), ("items", S.string)], required: ["name"])),
        ("SurveySummary", S.object([("dwellings", S.integer), ("attachments", S.string), ("crops", S.string),
                                    ("households", S.array(S.ref("SurveyHousehold")))], required: ["dwellings", "attachments", "crops"])),
        ("Parcel", S.object(parcelProperties + [("countyCode", S.string), ("countyName", S.string), ("township", S.string)],
                            required: ["key", "displayName", "village", "owner", "areaMu", "areaM2", "landUse", "boundary", "survey"])),
        ("ProjectHeader", S.object(projectProperties, required: ["key", "name", "county", "township", "purpose", "totalAreaMu", "totalAreaM2"])),
        ("ProjectFile", S.object([("project", S.ref("ProjectHeader")), ("parcels", S.array(S.ref("Parcel")))],
                                 required: ["project", "parcels"],
                                 description: "the import format (county and township given once are copied to every parcel)")),
        ("Project", S.object(projectProperties + [("parcels", S.array(S.ref("Parcel")))])),
        ("ProjectDetail", S.object([("project", S.ref("Project")),
                                    ("parcelPages", ["type": "object", "additionalProperties": S.string])], required: ["project", "parcelPages"])),
        ("ProjectSummary", S.object([("key", S.string), ("name", S.string), ("county", S.ref("County")), ("township", S.string),
                                     ("parcels", S.array(S.string)), ("totalAreaMu", S.number), ("parcelPage", S.string)])),
        ("ApprovalReference", S.object([("authority", S.string), ("documentNumber", S.string), ("date", S.date)],
                                       required: ["authority", "documentNumber", "date"])),
        ("HearingDetails", S.object([("date", S.date), ("place", S.string)], required: ["date", "place"])),
        ("NoticeContent", S.object(
            [("project", S.string), ("kind", S.ref("NoticeKind")), ("title", S.string), ("issuer", S.string),
             ("documentNumber", S.string("发文字号")), ("dateWritten", S.date), ("parcels", S.array(S.string)),
             ("body", S.array(S.string)), ("approval", S.ref("ApprovalReference")), ("hearing", S.ref("HearingDetails"))],
            required: ["project", "kind", "title", "issuer", "documentNumber", "dateWritten", "parcels", "body"])),
        ("NoticeVersion", S.object(
            [("id", S.string), ("version", S.integer), ("content", S.ref("NoticeContent")), ("contentHash", S.string),
             ("state", S.ref("NoticeState")), ("drafter", S.string), ("createdAt", S.dateTime), ("updatedAt", S.dateTime),
             ("submittedBy", S.string), ("submittedAt", S.dateTime), ("approvedBy", S.string), ("approvedAt", S.dateTime),
             ("rejectionReason", S.string), ("rejectedBy", S.string), ("withdrawnBy", S.string), ("withdrawnAt", S.dateTime),
             ("withdrawalReason", S.string), ("supersededBy", S.integer),
             ("verificationCode", S.string("the 8-character code printed on the poster")),
             ("parcelPage", S.string("the URL in the QR code")),
             ("posters", S.object([("pdf", S.string), ("png", S.string)]))],
            required: ["id", "version", "content", "contentHash", "state", "drafter", "createdAt", "updatedAt", "parcelPage"])),
        ("ChannelState", S.object(
            [("channel", S.string), ("deliveryId", S.string), ("version", S.integer), ("purpose", S.oneOf(["publish", "withdraw"])),
             ("state", S.ref("DeliveryState")), ("attempts", S.integer), ("nextAttemptAt", S.dateTime), ("updatedAt", S.dateTime),
             ("lastError", S.string), ("receipt", S.ref("DeliveryReceipt"))])),
        ("NoticeDetail", S.object(
            [("id", S.string), ("latest", S.ref("NoticeVersion")), ("versions", S.array(S.ref("NoticeVersion"))),
             ("channels", S.array(S.ref("ChannelState"))), ("deliveries", S.array(S.ref("Delivery")))],
            required: ["id", "latest", "versions", "channels", "deliveries"])),
        ("ActionResult", S.object([("notice", S.ref("NoticeVersion")), ("changed", S.boolean)], required: ["notice", "changed"])),
        ("ApprovalResult", S.object([("notice", S.ref("NoticeVersion")), ("deliveries", S.array(S.ref("Delivery")))],
                                    required: ["notice", "deliveries"])),
        ("ApproveRequest", S.object([("version", S.integer)])),
        ("ReasonRequest", S.object([("reason", S.string)], required: ["reason"])),
        ("DeliveryReceipt", S.object([("publicationID", S.string), ("publicURL", S.string), ("excerpt", S.string)])),
        ("Delivery", S.object(deliveryProperties)),
        ("DeliveryAttempt", S.object(
            [("deliveryID", S.string), ("number", S.integer), ("startedAt", S.dateTime), ("finishedAt", S.dateTime),
             ("outcome", S.oneOf(["delivered", "retryable", "rejected"])), ("detail", S.string)])),
        ("DeliveryDetail", S.object(deliveryProperties + [("attemptLog", S.array(S.ref("DeliveryAttempt")))])),
        ("ReplayRequest", S.object([("channel", S.string), ("since", S.string("ISO 8601 instant or YYYY-MM-DD")),
                                    ("includeAll", ["type": "boolean", "description": "also re-queue retrying and cancelled ones"])],
                                   required: ["channel", "since"])),
        ("Channel", S.object(
            [("channel", S.string), ("paused", S.boolean), ("deliveries", ["type": "object", "additionalProperties": S.integer]),
             ("oldestWaiting", S.dateTime), ("lastSuccess", S.dateTime), ("circuit", S.oneOf(["closed", "open", "half-open"])),
             ("inFlight", S.integer)])),
        ("TokenRequest", S.object([("user", S.string), ("expiresIn", S.string("30d, 12h, 45m or 3600s; default 30d")),
                                   ("label", S.string)], required: ["user"])),
        ("IssuedToken", S.object([("token", S.string("shown once")), ("id", S.string), ("user", S.string), ("label", S.string),
                                  ("expiresAt", S.dateTime)], required: ["token", "id", "user", "expiresAt"])),
        ("Token", S.object([("id", S.string), ("user", S.string), ("label", S.string), ("createdAt", S.dateTime),
                            ("expiresAt", S.dateTime), ("revokedAt", S.dateTime), ("valid", S.boolean)])),
        ("WhoAmI", S.object([("user", S.string), ("displayName", S.string), ("roles", S.array(S.string)), ("tokenId", S.string)])),
        ("Readiness", S.object([("status", S.oneOf(["ready", "not-ready"])),
                                ("checks", ["type": "object", "additionalProperties": S.string])])),
    ])

    static let parcelProperties: [(String, JSONValue)] = [
        ("key", S.string("ASCII key used in URLs and QR codes")), ("displayName", S.string), ("village", S.string),
        ("villageCode", S.string), ("owner", S.string), ("areaMu", S.number), ("areaM2", S.number),
        ("landUse", S.array(S.ref("LandUseLine"))), ("boundary", S.ref("GeoJSONPolygon")), ("survey", S.ref("SurveySummary")),
    ]

    static let projectProperties: [(String, JSONValue)] = [
        ("key", S.string), ("name", S.string), ("county", S.ref("County")), ("township", S.string), ("purpose", S.string),
        ("approvalAuthority", S.string), ("totalAreaMu", S.number), ("totalAreaM2", S.number),
    ]

    static let deliveryProperties: [(String, JSONValue)] = [
        ("id", S.string("the idempotency key sent downstream")), ("noticeID", S.string), ("version", S.integer),
        ("channel", S.string), ("purpose", S.oneOf(["publish", "withdraw"])), ("state", S.ref("DeliveryState")),
        ("attempts", S.integer), ("nextAttemptAt", S.dateTime), ("leaseOwner", S.string), ("leaseExpiresAt", S.dateTime),
        ("createdAt", S.dateTime), ("updatedAt", S.dateTime), ("lastError", S.string), ("receipt", S.ref("DeliveryReceipt")),
    ]
}
