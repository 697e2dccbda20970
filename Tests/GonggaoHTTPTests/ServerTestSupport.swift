import GonggaoCore
@testable import GonggaoHTTP
import HTTPTestSupport

/// A started server for one test; stopped (with a short grace) whatever the body does.
func withServer(
    _ configuration: HTTPServerConfiguration = HTTPServerConfiguration(), router: Router,
    logger: Logger = .discard, _ body: (HTTPServer) async throws -> Void
) async throws {
    let server = HTTPServer(configuration: configuration, router: router, logger: logger)
    try server.start()
    do {
        try await body(server)
    } catch {
        await server.stop(grace: .zero)
        throw error
    }
    await server.stop(grace: .seconds(1))
}

func config(_ change: (inout HTTPServerConfiguration) -> Void = { _ in }) -> HTTPServerConfiguration {
    var c = HTTPServerConfiguration()
    c.threads = 2
    c.shutdownGrace = .seconds(2)
    change(&c)
    return c
}
