import Foundation

/// Compensation paid for one parcel to one payee group (a household, the collective, …).
public struct PaymentRecord: Codable, Equatable, Sendable {
    public var id: String
    public var project: String
    public var parcel: String
    /// Who was paid, e.g. 红庙村股份经济合作社 or 王*春户 (as the payment order names them).
    public var payeeGroup: String
    /// Amount in yuan (元), as recorded on the payment order.
    public var amountYuan: Double
    public var paidOn: CivilDate
    public var recordedBy: String
    public var recordedAt: Date

    public init(id: String, project: String, parcel: String, payeeGroup: String, amountYuan: Double, paidOn: CivilDate,
                recordedBy: String, recordedAt: Date) {
        self.id = id
        self.project = project
        self.parcel = parcel
        self.payeeGroup = payeeGroup
        self.amountYuan = amountYuan
        self.paidOn = paidOn
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }
}
