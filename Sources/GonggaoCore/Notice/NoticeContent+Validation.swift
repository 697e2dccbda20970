/// Per-kind rules for mandatory fields; every error names the field.
extension NoticeContent {
    /// Most characters the body may hold, all paragraphs together.
    public static let maxBodyCharacters = 20_000

    /// Validates the content against the project it names.
    public func validate(in project: Project) throws(ValidationError) {
        var v = Validator()
        v.require(self.project == project.key, "project", "'\(self.project)' is not the project '\(project.key)'")
        v.requireText(title, "title", max: 200)
        v.requireText(issuer, "issuer", max: 100)
        v.requireText(documentNumber, "documentNumber", max: 100)
        v.require(!parcels.isEmpty, "parcels", "at least one parcel is required")
        v.require(!body.isEmpty, "body", "at least one paragraph is required")
        try v.check()

        for (i, key) in parcels.enumerated() {
            try Project.validateKey(key, field: "parcels[\(i)]")
            if project.parcel(key) == nil {
                throw ValidationError(field: "parcels[\(i)]", "parcel '\(key)' is not in project '\(project.key)'")
            }
            if parcels[..<i].contains(key) {
                throw ValidationError(field: "parcels[\(i)]", "parcel '\(key)' is listed twice")
            }
        }
        var total = 0
        for (i, paragraph) in body.enumerated() {
            if paragraph.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw ValidationError(field: "body[\(i)]", "is empty")
            }
            total += paragraph.count
        }
        if total > Self.maxBodyCharacters {
            throw ValidationError(field: "body", "is \(total) characters, at most \(Self.maxBodyCharacters) allowed")
        }

        if kind.requiresApproval {
            guard let approval else {
                throw ValidationError(field: "approval", "is required for a \(kind.rawValue) notice (authority, documentNumber, date)")
            }
            var a = Validator()
            a.requireText(approval.authority, "approval.authority", max: 100)
            a.requireText(approval.documentNumber, "approval.documentNumber", max: 100)
            try a.check()
        }
        if kind == .hearing {
            guard let hearing else {
                throw ValidationError(field: "hearing", "is required for a hearing notice (date, place)")
            }
            var h = Validator()
            h.requireText(hearing.place, "hearing.place", max: 200)
            try h.check()
        }
    }
}

import Foundation
