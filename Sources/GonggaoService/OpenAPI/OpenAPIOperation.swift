/// One operation of the OpenAPI document, written by hand beside (not generated from) the routes;
/// `OpenAPIConformanceTests` checks the two agree both ways.
struct OpenAPIOperation: Sendable {
    let method: String
    /// OpenAPI form: `/api/notices/{id}/versions/{version}`.
    let path: String
    let id: String
    let tag: String
    let summary: String
    /// Roles that may call it; nil = public (no token).
    let roles: [String]?
    var parameters: [JSONValue] = []
    var requestBody: JSONValue?
    var responses: [(String, JSONValue)]

    var json: JSONValue {
        var members: [(String, JSONValue)] = [("operationId", .string(id)), ("tags", .strings([tag])), ("summary", .string(summary))]
        if let roles {
            members.append(("security", [["bearer": []]]))
            members.append(("x-roles", .strings(roles)))
        } else {
            members.append(("security", []))
        }
        let pathParameters = Self.pathParameters(path).map { name -> JSONValue in
            [
                "name": .string(name), "in": "path", "required": true,
                "schema": name == "version" ? ["type": "integer", "minimum": 1] : ["type": "string"],
            ]
        }
        if !(pathParameters + parameters).isEmpty { members.append(("parameters", .array(pathParameters + parameters))) }
        if let requestBody { members.append(("requestBody", requestBody)) }
        var all = responses
        if roles != nil {
            all += [("401", OpenAPIDocument.errorRef("Unauthorized")), ("403", OpenAPIDocument.errorRef("Forbidden")),
                    ("429", OpenAPIDocument.errorRef("TooManyRequests"))]
        }
        // A version number past Int64 matches the route's digits but is refused as a bad parameter.
        if Self.pathParameters(path).contains("version") { all.append(("400", OpenAPIDocument.errorRef("BadRequest"))) }
        if requestBody != nil {
            all += [("400", OpenAPIDocument.errorRef("BadRequest")), ("413", OpenAPIDocument.errorRef("PayloadTooLarge")),
                    ("415", OpenAPIDocument.errorRef("UnsupportedMediaType")), ("422", OpenAPIDocument.errorRef("Unprocessable"))]
        }
        var seen: Set<String> = []
        let unique = all.filter { seen.insert($0.0).inserted }.sorted { $0.0 < $1.0 }
        members.append(("responses", .object(unique)))
        return .object(members)
    }

    static func pathParameters(_ path: String) -> [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }.map { String($0.dropFirst().dropLast()) }
    }
}

/// Short-hands for JSON Schema (2020-12, as OpenAPI 3.1 uses it).
enum Schema {
    static let string: JSONValue = ["type": "string"]
    static let integer: JSONValue = ["type": "integer"]
    static let number: JSONValue = ["type": "number"]
    static let boolean: JSONValue = ["type": "boolean"]
    static let dateTime: JSONValue = ["type": "string", "format": "date-time"]
    static let date: JSONValue = ["type": "string", "format": "date", "description": "YYYY-MM-DD, Asia/Shanghai"]

    static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }
    static func array(_ items: JSONValue) -> JSONValue { ["type": "array", "items": items] }
    static func oneOf(_ values: [String]) -> JSONValue { ["type": "string", "enum": .strings(values)] }
    static func string(_ description: String) -> JSONValue { ["type": "string", "description": .string(description)] }

    /// An object; `required` names the members that must be present.
    static func object(_ properties: [(String, JSONValue)], required: [String] = [], description: String? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", "object")]
        if let description { members.append(("description", .string(description))) }
        members.append(("properties", .object(properties)))
        if !required.isEmpty { members.append(("required", .strings(required))) }
        return .object(members)
    }

    /// `{items: [T], count}`.
    static func list(_ item: String) -> JSONValue {
        object([("items", array(ref(item))), ("count", integer)], required: ["items", "count"])
    }
}
