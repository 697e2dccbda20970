import GonggaoCore

/// A portal's two bodies: publish (create/update) and withdraw.
struct PortalTemplates: Sendable {
    let publish: PayloadTemplate
    let withdraw: PayloadTemplate

    enum Rendered {
        case body(String)
        /// A template that fails for one notice fails on every retry: rejected, naming the problem.
        case failed(ChannelOutcome)
    }

    func render(_ operation: ChannelOperation, _ context: TemplateValue) -> Rendered {
        do {
            return .body(try (operation == .withdraw ? withdraw : publish).render(context))
        } catch {
            return .failed(.rejected("template: \(error)"))
        }
    }
}
