import Foundation

/// A private CA with a server certificate for `localhost`/127.0.0.1 and a client certificate,
/// made with the `openssl` CLI in a fresh temporary directory.
struct TestCertificates {
    let directory: URL
    var caCertificate: String { directory.appendingPathComponent("ca.pem").path }
    var serverCertificate: String { directory.appendingPathComponent("server.pem").path }
    var serverKey: String { directory.appendingPathComponent("server.key").path }
    var clientCertificate: String { directory.appendingPathComponent("client.pem").path }
    var clientKey: String { directory.appendingPathComponent("client.key").path }

    static func make() throws -> TestCertificates {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonggao-certs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try "subjectAltName=DNS:localhost,IP:127.0.0.1\n".write(
            to: dir.appendingPathComponent("san.ext"), atomically: true, encoding: .utf8)
        try openssl(
            ["req", "-x509"] + ec + [
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Gonggao Test CA",
            ], in: dir)
        for (name, subject) in [("server", "/CN=localhost"), ("client", "/CN=gonggao-client")] {
            try openssl(["req"] + ec + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", subject], in: dir)
            try openssl(
                [
                    "x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                    "-out", "\(name).pem", "-days", "2",
                ] + (name == "server" ? ["-extfile", "san.ext"] : []), in: dir)
        }
        return TestCertificates(directory: dir)
    }

    private static func openssl(_ arguments: [String], in dir: URL) throws {
        // Relative names are files in `dir` (posix_spawn has no portable chdir).
        let known: Set<String> = [
            "ca.key", "ca.pem", "san.ext", "server.key", "server.csr", "server.pem", "client.key", "client.csr",
            "client.pem",
        ]
        let absolute = arguments.map { known.contains($0) ? dir.appendingPathComponent($0).path : $0 }
        let child = try ChildProcess(
            "/usr/bin/openssl",
            absolute
                + (arguments.contains("-CAcreateserial")
                    ? ["-CAserial", dir.appendingPathComponent("ca.srl").path] : []))
        guard child.wait() == 0 else { throw TestFailure("openssl \(arguments.first ?? "") failed") }
    }
}
