import Foundation
import GonggaoCore
import Testing

@testable import GonggaoChannels

/// The libcurl transport against real loopback servers.
@Suite(.serialized) struct HTTPClientTests {
    let client: HTTPClient

    init() throws {
        client = try HTTPClient(logger: .discard)
    }

    private func get(_ url: String, _ options: HTTPTransportOptions = HTTPTransportOptions()) async -> HTTPClientResult
    {
        await client.send(HTTPClientRequest(method: .get, url: url, options: options))
    }

    @Test func postCarriesBodyAndHeaders() async throws {
        let server = try PythonHTTPServer()
        let body = Array(#"{"title":"征收土地预公告"}"#.utf8)
        let result = await client.send(
            HTTPClientRequest(
                url: server.base + "/echo",
                headers: [("Content-Type", "application/json"), ("X-Test", "1")], body: body))
        let response = try #require(result.response)
        #expect(response.status == 200)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        #expect(doc["method"] as? String == "POST")
        #expect(doc["body"] as? String == #"{"title":"征收土地预公告"}"#)
        let headers = try #require(doc["headers"] as? [String: String])
        #expect(headers["x-test"] == "1")
        #expect(headers["content-type"] == "application/json")
        #expect(headers["expect"] == nil)
        #expect(response.header("content-type") == "application/json")
    }

    @Test func methods() async throws {
        let server = try PythonHTTPServer()
        for method in HTTPClientRequest.Method.allCases {
            let body: [UInt8] = method == .get ? [] : Array("x".utf8)
            let result = await client.send(HTTPClientRequest(method: method, url: server.base + "/echo", body: body))
            let doc = try JSONSerialization.jsonObject(with: Data(try #require(result.response).body)) as? [String: Any]
            #expect(doc?["method"] as? String == method.rawValue)
        }
    }

    @Test func manyConcurrentRequestsComplete() async throws {
        let server = try PythonHTTPServer()
        let start = ContinuousClock.now
        let statuses = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<40 {
                group.addTask { await self.get(server.base + "/slow/300").response?.status ?? -1 }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 200, count: 40))
        // Serially this would take 12 s; concurrently it takes about one delay (generous on a busy machine).
        #expect(ContinuousClock.now - start < .seconds(6))
    }

    @Test func connectionsAreReused() async throws {
        let server = try PythonHTTPServer()
        var ports: Set<Int> = []
        for _ in 0..<3 {
            let response = try #require(await get(server.base + "/echo").response)
            let doc = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
            ports.insert(try #require(doc?["clientPort"] as? Int))
        }
        #expect(ports.count == 1)
    }

    @Test func timeoutIsCurl28() async throws {
        let server = try PythonHTTPServer()
        let start = ContinuousClock.now
        let result = await get(server.base + "/hang", HTTPTransportOptions(timeout: .milliseconds(500)))
        let failure = try #require(result.failure)
        #expect(failure.kind == .timeout)
        #expect(failure.curlCode == 28)
        #expect(failure.isRetryable)
        #expect(ContinuousClock.now - start < .seconds(3))
    }

    @Test func refusedIsCurl7() async throws {
        let port = try closedPort()
        let failure = try #require(await get("http://127.0.0.1:\(port)/").failure)
        #expect(failure.kind == .connectionRefused)
        #expect(failure.curlCode == 7)
        #expect(failure.isRetryable)
        #expect(!failure.description.contains("127.0.0.1"))
    }

    @Test func resetIsRetryable() async throws {
        let server = try PythonHTTPServer()
        let failure = try #require(await get(server.base + "/reset").failure)
        #expect(failure.kind == .connectionReset)
        #expect(failure.isRetryable)
    }

    @Test func responseBodyIsCappedAndFlagged() async throws {
        let server = try PythonHTTPServer()
        let big = try #require(await get(server.base + "/big/3000000").response)
        #expect(big.status == 200)
        #expect(big.bodyTruncated)
        #expect(big.body.count == HTTPTransportOptions.defaultMaxResponseBytes)

        let small = try #require(
            await get(server.base + "/big/1000", HTTPTransportOptions(maxResponseBytes: 1000)).response)
        #expect(!small.bodyTruncated)
        #expect(small.body.count == 1000)

        let capped = try #require(
            await get(server.base + "/big/1001", HTTPTransportOptions(maxResponseBytes: 1000)).response)
        #expect(capped.bodyTruncated)
        #expect(capped.body.count == 1000)
    }

    @Test func redirectToAnotherHostIsNotFollowed() async throws {
        let portal = try PythonHTTPServer()
        let elsewhere = try PythonHTTPServer()
        let target = "http://localhost:\(elsewhere.port)/echo"
        let response = try #require(await get(portal.base + "/redirect?to=" + target).response)
        #expect(response.status == 302)
        #expect(response.header("Location") == target)
        let hits = try #require(await get(elsewhere.base + "/hits").response)
        #expect(hits.bodyText == "0")
    }

    @Test(arguments: ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/", "dict://127.0.0.1/"])
    func onlyHTTPSchemes(_ url: String) async throws {
        let failure = try #require(await get(url).failure)
        #expect(failure.kind == .unsupportedScheme)
        #expect(failure.curlCode == 1)
        #expect(!failure.isRetryable)
    }

    @Test func headerInjectionIsRefused() async throws {
        let server = try PythonHTTPServer()
        let result = await client.send(HTTPClientRequest(url: server.base + "/echo", headers: [("X-A", "1\r\nX-B: 2")]))
        #expect(result.failure?.kind == .invalidRequest)
    }

    @Test func retryAfterFromResponse() async throws {
        let server = try PythonHTTPServer()
        let response = try #require(await get(server.base + "/status/503?retry_after=7").response)
        #expect(response.status == 503)
        #expect(response.retryAfter(now: Date()) == .seconds(7))
    }

    @Test func tlsIsVerifiedByDefault() async throws {
        let certs = try TestCertificates.make()
        let server = try PythonHTTPServer(tls: (certs.serverCertificate, certs.serverKey))

        let refused = try #require(await get(server.base + "/echo").failure)
        #expect(refused.kind == .tls)
        #expect(refused.curlCode == 60)

        let trusted = try #require(
            await get(server.base + "/echo", HTTPTransportOptions(caBundle: certs.caCertificate)).response)
        #expect(trusted.status == 200)

        // The certificate names localhost and 127.0.0.1, not another name: host verification is on.
        let wrongName = await get(
            "https://127.0.0.2:\(server.port)/echo", HTTPTransportOptions(caBundle: certs.caCertificate))
        #expect(wrongName.response == nil)
    }

    @Test func mutualTLS() async throws {
        let certs = try TestCertificates.make()
        let server = try PythonHTTPServer(
            tls: (certs.serverCertificate, certs.serverKey), clientCA: certs.caCertificate)
        let anonymous = await get(server.base + "/echo", HTTPTransportOptions(caBundle: certs.caCertificate))
        #expect(anonymous.response == nil)
        let options = HTTPTransportOptions(
            caBundle: certs.caCertificate, clientCertificate: certs.clientCertificate,
            clientKey: certs.clientKey)
        #expect(await get(server.base + "/echo", options).response?.status == 200)
    }

    @Test func environmentProxyIsIgnored() async throws {
        // libcurl would read http_proxy itself; an explicit empty CURLOPT_PROXY stops it.
        setenv("http_proxy", "http://127.0.0.1:1", 1)
        defer { unsetenv("http_proxy") }
        let server = try PythonHTTPServer()
        #expect(await get(server.base + "/echo").response?.status == 200)
    }

    @Test func proxyIsUsedWhenConfigured() async throws {
        let port = try closedPort()
        let server = try PythonHTTPServer()
        let failure = try #require(
            await get(server.base + "/echo", HTTPTransportOptions(proxy: "http://127.0.0.1:\(port)")).failure)
        #expect(failure.kind == .connectionRefused)
    }

    @Test func cancellationAbortsTheTransfer() async throws {
        let server = try PythonHTTPServer()
        let start = ContinuousClock.now
        let task = Task { await self.get(server.base + "/hang") }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        let result = await task.value
        #expect(result.failure?.kind == .cancelled)
        #expect(ContinuousClock.now - start < .seconds(3))
    }

    @Test func shutdownAbortsInFlightAndRefusesNewSends() async throws {
        let server = try PythonHTTPServer()
        let own = try HTTPClient(logger: .discard)
        let hanging = Task { await own.send(HTTPClientRequest(method: .get, url: server.base + "/hang")) }
        let quick = await own.send(HTTPClientRequest(method: .get, url: server.base + "/echo"))
        #expect(quick.response?.status == 200)
        await own.shutdown(gracePeriod: .milliseconds(200))
        #expect(await hanging.value.failure?.kind == .shutdown)
        #expect(await own.send(HTTPClientRequest(method: .get, url: server.base + "/echo")).failure?.kind == .shutdown)
        own.close()
        await own.shutdown()
    }

    @Test func shutdownWaitsForInFlightWithinGrace() async throws {
        let server = try PythonHTTPServer()
        let own = try HTTPClient(logger: .discard)
        let slow = Task { await own.send(HTTPClientRequest(method: .get, url: server.base + "/slow/300")) }
        try await Task.sleep(for: .milliseconds(50))
        await own.shutdown(gracePeriod: .seconds(5))
        #expect(await slow.value.response?.status == 200)
    }

    /// A loopback port nothing listens on.
    private func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { p in
            try p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                guard bind(fd, sa, length) == 0, getsockname(fd, sa, &length) == 0 else {
                    throw TestFailure("bind failed")
                }
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
