/// Input that Gonggao refuses, naming the field (a JSON path such as `parcels[1].key`) and why.
public struct ValidationError: Error, Equatable, Sendable, CustomStringConvertible {
    public let field: String
    public let message: String

    public init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// Collects validation failures so a caller sees the first one with its field.
struct Validator {
    private(set) var errors: [ValidationError] = []

    mutating func require(_ condition: Bool, _ field: String, _ message: @autoclosure () -> String) {
        if !condition { errors.append(ValidationError(field: field, message())) }
    }

    mutating func requireText(_ text: String?, _ field: String, max: Int) {
        let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if trimmed.isEmpty {
            errors.append(ValidationError(field: field, "is required"))
        } else if trimmed.count > max {
            errors.append(ValidationError(field: field, "is \(trimmed.count) characters, at most \(max) allowed"))
        }
    }

    /// Throws the first collected error.
    func check() throws(ValidationError) {
        if let first = errors.first { throw first }
    }
}

import Foundation
