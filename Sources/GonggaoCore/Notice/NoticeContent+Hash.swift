import GonggaoCrypto

/// The content hash: SHA-256 over a canonical form that does not depend on JSON key order or spacing.
extension NoticeContent {
    /// Canonical form: one `name=value` line per field in a fixed order, each value length-prefixed
    /// so no choice of text can make two different contents read the same.
    public var canonicalForm: String {
        var lines: [String] = []
        func field(_ name: String, _ value: String) { lines.append("\(name)=\(value.utf8.count):\(value)") }
        field("project", project)
        field("kind", kind.rawValue)
        field("title", title)
        field("issuer", issuer)
        field("documentNumber", documentNumber)
        field("dateWritten", dateWritten.description)
        field("parcels", "\(parcels.count)")
        for key in parcels { field("parcel", key) }
        field("body", "\(body.count)")
        for paragraph in body { field("paragraph", paragraph) }
        if let approval {
            field("approval.authority", approval.authority)
            field("approval.documentNumber", approval.documentNumber)
            field("approval.date", approval.date.description)
        }
        if let hearing {
            field("hearing.date", hearing.date.description)
            field("hearing.place", hearing.place)
        }
        if let payment {
            field("payment.dueDate", payment.dueDate.description)
            if let method = payment.method { field("payment.method", method) }
        }
        return "gonggao-notice-v1\n" + lines.joined(separator: "\n") + "\n"
    }

    /// Lowercase hex SHA-256 of `canonicalForm`.
    public var contentHash: String { GonggaoCrypto.sha256Hex(canonicalForm) }
}
