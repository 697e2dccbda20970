import Foundation

/// A throwaway HTTP(S) server in Python (`http.server`) for transport tests: started on a port the
/// OS picks, stopped by `stop()` or deinit. Routes:
/// `/status/CODE[?retry_after=V]`, `/slow/MS`, `/hang`, `/big/BYTES`, `/redirect?to=URL`, `/echo`
/// (method, path, headers, body, client port as JSON), `/reset` (drops the connection), `/hits`.
final class PythonHTTPServer: Sendable {
    let port: Int
    let scheme: String
    private let child: ChildProcess

    var base: String { "\(scheme)://\(scheme == "https" ? "localhost" : "127.0.0.1"):\(port)" }

    /// `tls`: certificate and key PEM paths; `clientCA`: require client certificates signed by it.
    init(tls: (certificate: String, key: String)? = nil, clientCA: String? = nil) throws {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gonggao-test-server-\(UUID().uuidString).py")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        var arguments = ["-u", script.path]
        if let tls { arguments += ["--cert", tls.certificate, "--key", tls.key] }
        if let clientCA { arguments += ["--client-ca", clientCA] }
        let child = try ChildProcess("/usr/bin/python3", arguments, captureStdout: true)
        let line = child.readLine() ?? ""
        guard line.hasPrefix("PORT "), let port = Int(line.dropFirst(5)) else {
            child.stop()
            throw TestFailure("python server did not start: \(line)")
        }
        self.port = port
        self.scheme = tls == nil ? "http" : "https"
        self.child = child
    }

    func stop() { child.stop() }

    static let script = #"""
        import json, socket, ssl, struct, sys, threading, time, argparse
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from urllib.parse import urlparse, parse_qs

        hits = {"count": 0}
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def log_message(self, *args): pass

            def reply(self, code, body=b"", headers=()):
                self.send_response(code)
                for k, v in headers: self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body: self.wfile.write(body)

            def handle_any(self):
                with lock: hits["count"] += 1
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                url = urlparse(self.path)
                q = parse_qs(url.query)
                parts = url.path.strip("/").split("/")
                if parts[0] == "status":
                    headers = [("Retry-After", q["retry_after"][0])] if "retry_after" in q else []
                    self.reply(int(parts[1]), ("status %s" % parts[1]).encode(), headers)
                elif parts[0] == "slow":
                    time.sleep(int(parts[1]) / 1000.0)
                    self.reply(200, b"slow")
                elif parts[0] == "hang":
                    time.sleep(60)
                    self.reply(200, b"late")
                elif parts[0] == "big":
                    n = int(parts[1])
                    self.send_response(200)
                    self.send_header("Content-Length", str(n))
                    self.end_headers()
                    chunk = b"x" * 65536
                    try:
                        while n > 0:
                            self.wfile.write(chunk[:min(n, len(chunk))])
                            n -= min(n, len(chunk))
                    except Exception:
                        pass
                elif parts[0] == "redirect":
                    self.reply(302, b"moved", [("Location", q["to"][0])])
                elif parts[0] == "reset":
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.connection.close()
                    self.close_connection = True
                elif parts[0] == "hits":
                    self.reply(200, str(hits["count"] - 1).encode())
                else:
                    doc = {"method": self.command, "path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                           "body": body.decode("utf-8", "replace"), "clientPort": self.client_address[1]}
                    self.reply(200, json.dumps(doc).encode(), [("Content-Type", "application/json")])

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

        parser = argparse.ArgumentParser()
        parser.add_argument("--cert"); parser.add_argument("--key"); parser.add_argument("--client-ca")
        args = parser.parse_args()
        ThreadingHTTPServer.request_queue_size = 128  # the default backlog of 5 drops concurrent connects
        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        if args.cert:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(args.cert, args.key)
            if args.client_ca:
                ctx.verify_mode = ssl.CERT_REQUIRED
                ctx.load_verify_locations(args.client_ca)
            server.socket = ctx.wrap_socket(server.socket, server_side=True)
        print("PORT %d" % server.server_address[1], flush=True)
        server.serve_forever()
        """#
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
