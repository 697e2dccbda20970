import Foundation
import GonggaoCore

extension ChannelConfig {
    /// Checks every value; the error names `path` + the key (`channels[1].county.orgCode`).
    public func validate(path: String) throws(ValidationError) {
        if let problem = firstProblem() {
            throw ValidationError(
                field: ([path] + problem.keys).filter { !$0.isEmpty }.joined(separator: "."), problem.message)
        }
    }

    /// This config with relative file paths (CA bundle, client certificate and key, secret files,
    /// templates) made absolute against `directory` — the config file's folder.
    public func resolvingPaths(against directory: URL) -> ChannelConfig {
        func resolve(_ path: String?) -> String? {
            guard let path, !path.hasPrefix("/") else { return path }
            return directory.appendingPathComponent(path).standardizedFileURL.path
        }
        var copy = self
        copy.tls?.caBundle = resolve(tls?.caBundle)
        copy.tls?.clientCertificate = resolve(tls?.clientCertificate)
        copy.tls?.clientKey = resolve(tls?.clientKey)
        copy.tls?.clientKeyPassword = tls?.clientKeyPassword?.resolved(against: directory)
        copy.signing?.secrets = signing?.secrets.map { $0.resolved(against: directory) } ?? []
        if signing == nil { copy.signing = nil }
        copy.credential = credential?.resolved(against: directory)
        copy.templates?.publish = resolve(templates?.publish)
        copy.templates?.withdraw = resolve(templates?.withdraw)
        copy.spool = resolve(spool)
        return copy
    }

    /// The first problem as (keys below this entry, message), or nil.
    func firstProblem() -> (keys: [String], message: String)? {
        do {
            try Project.validateKey(name, field: "name")
        } catch {
            return (
                ["name"],
                "'\(name)' is not a channel name (ASCII letters, digits and inner hyphens, at most \(Project.maxKeyLength))"
            )
        }
        guard Self.knownTypes.contains(type) else {
            return (
                ["type"], "unknown channel type '\(type)' (expected one of: \(Self.knownTypes.joined(separator: ", ")))"
            )
        }
        if let url,
            let problem = ConfigURL.problem(
                url, schemes: type == ChannelKind.print ? ["http", "https", "ipp", "ipps"] : ["http", "https"])
        {
            return (["url"], problem)
        }
        if let t = timeoutSeconds, !(t > 0 && t <= 600) {
            return (["timeoutSeconds"], "must be more than 0 and at most 600")
        }
        if let t = connectTimeoutSeconds, !(t > 0 && t <= 600) {
            return (["connectTimeoutSeconds"], "must be more than 0 and at most 600")
        }
        if let c = connectTimeoutSeconds, c > (timeoutSeconds ?? Self.defaultTimeoutSeconds) {
            return (["connectTimeoutSeconds"], "is longer than timeoutSeconds")
        }
        if let problem = deliveryProblem() { return problem }
        if let m = maxResponseBytes, !(1024...(64 << 20)).contains(m) {
            return (["maxResponseBytes"], "must be 1024…67108864")
        }
        if let proxy, let problem = ConfigURL.problem(proxy, schemes: ["http", "https", "socks5", "socks5h"]) {
            return (["proxy"], problem)
        }
        if let tls {
            if tls.clientCertificate != nil && tls.clientKey == nil {
                return (["tls", "clientKey"], "is required with clientCertificate")
            }
            if tls.clientKey != nil && tls.clientCertificate == nil {
                return (["tls", "clientCertificate"], "is required with clientKey")
            }
            if tls.clientKeyPassword != nil && tls.clientKey == nil {
                return (["tls", "clientKeyPassword"], "is only used with clientKey")
            }
            for (key, path) in [
                ("caBundle", tls.caBundle), ("clientCertificate", tls.clientCertificate), ("clientKey", tls.clientKey),
            ] {
                if let path, path.isEmpty { return (["tls", key], "is empty") }
            }
        }
        if type == ChannelKind.print {
            if let spool, spool.trimmingCharacters(in: .whitespaces).isEmpty { return (["spool"], "is empty") }
            if let url, !url.lowercased().hasPrefix("ipp") {
                return (["url"], "'\(url)' is not a printer: a print channel's url is an ipp:// or ipps:// printer URI")
            }
            return nil
        }
        if spool != nil { return (["spool"], "is only used by a print channel") }
        guard ChannelKind.portalKinds.contains(type) else { return nil }
        return portalProblem()
    }

    private func portalProblem() -> (keys: [String], message: String)? {
        guard url != nil else { return (["url"], "is required for a \(type) channel (the portal's base URL)") }
        guard let signing else {
            return (["signing"], "is required: {\"secrets\": [{\"env\": \"NAME\"}]} (Standard Webhooks)")
        }
        if signing.secrets.isEmpty { return (["signing", "secrets"], "name at least one secret") }
        let needsCredential = type != ChannelKind.provincialPortal
        if needsCredential && credential == nil {
            let what = type == ChannelKind.countyColumn ? "bearer token" : "app key"
            return (["credential"], "is required: the \(what), as {\"env\": \"NAME\"} or {\"file\": \"PATH\"}")
        }
        if !needsCredential && credential != nil {
            return (["credential"], "is not used by a \(type) channel (it signs only)")
        }
        if type == ChannelKind.countyColumn {
            guard let county else { return (["county"], "is required: {\"orgCode\": \"…\", \"topic\": \"征地拆迁\"}") }
            let code = county.orgCode.unicodeScalars
            if !(9...18).contains(code.count)
                || !code.allSatisfy({ ("0"..."9").contains($0) || ("A"..."Z").contains($0) })
            {
                return (["county", "orgCode"], "'\(county.orgCode)' is not an organisation code (9–18 of 0–9 and A–Z)")
            }
            let topic = county.topic.trimmingCharacters(in: .whitespaces)
            if topic.isEmpty || topic.count > 50 { return (["county", "topic"], "must be 1–50 characters") }
            if let site = county.siteId, site.count != 10 || !site.allSatisfy({ $0.isASCII && $0.isNumber }) {
                return (["county", "siteId"], "'\(site)' is not a 10-digit site identifier")
            }
        } else if county != nil {
            return (["county"], "is only used by a county-column channel")
        }
        if type == ChannelKind.mobilePlatform {
            let limits = mobile ?? MobileSettings()
            if limits.titleLimit < 2 { return (["mobile", "titleLimit"], "must be at least 2") }
            if limits.summaryLimit < 2 { return (["mobile", "summaryLimit"], "must be at least 2") }
        } else if mobile != nil {
            return (["mobile"], "is only used by a mobile-platform channel")
        }
        return nil
    }

    /// How this channel's requests are carried (client key passphrase read from `secrets`).
    func transportOptions(secrets: SecretSource) throws(ValidationError) -> HTTPTransportOptions {
        var options = HTTPTransportOptions(
            connectTimeout: .milliseconds(Int64((connectTimeoutSeconds ?? Self.defaultConnectTimeoutSeconds) * 1000)),
            timeout: .milliseconds(Int64((timeoutSeconds ?? Self.defaultTimeoutSeconds) * 1000)),
            caBundle: tls?.caBundle, clientCertificate: tls?.clientCertificate, clientKey: tls?.clientKey,
            proxy: proxy, maxResponseBytes: maxResponseBytes ?? HTTPTransportOptions.defaultMaxResponseBytes)
        if let reference = tls?.clientKeyPassword {
            options.clientKeyPassword = try resolve(
                reference, keys: ["tls", "clientKeyPassword", reference.key], secrets)
        }
        return options
    }

    /// Reads one secret; the error names this entry's key path and the variable or file.
    func resolve(_ reference: SecretReference, keys: [String], _ secrets: SecretSource) throws(ValidationError)
        -> SecretText
    {
        do {
            return try secrets.resolve(reference)
        } catch {
            throw ValidationError(
                field: ([keyPath] + keys).joined(separator: ".").replacingOccurrences(of: ".[", with: "["),
                error.message)
        }
    }
}
