import GonggaoCore
import GonggaoHTTP
import GonggaoStore

/// `{"project", "parcel", "payeeGroup", "amountYuan", "paidOn"}`.
struct PaymentBody: Decodable, Sendable {
    let project: String
    let parcel: String
    let payeeGroup: String
    let amountYuan: Double
    let paidOn: CivilDate
}

extension ServiceApp {
    var paymentEndpoints: [Endpoint] {
        [Endpoint(.post, "/api/payments", .anyOf([.drafter, .approver])) { [self] in try await recordPayment($0) }]
    }

    func recordPayment(_ call: Call) async throws -> HTTPResponse {
        let body = try JSONBody.require(PaymentBody.self, from: call.request)
        let payment = try await Self.projectIsField {
            try await environment.workflow.recordPayment(
                project: body.project, parcel: body.parcel, payeeGroup: body.payeeGroup, amountYuan: body.amountYuan,
                paidOn: body.paidOn, as: call.user.name)
        }
        await evaluateWarnings(project: payment.project)
        return .json(payment, status: 201)
    }
}
