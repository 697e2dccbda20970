import Foundation
import GonggaoCore
import GonggaoDelivery
import GonggaoHTTP
import GonggaoService
import GonggaoStore
import Synchronization

extension CommandSpec {
    /// `gonggao serve [--host H] [--port P] [--no-workers]`.
    static let serve = CommandSpec(
        path: ["serve"],
        summary: "run the HTTP service (officer API, parcel pages, metrics) and the delivery workers",
        options: [
            OptionSpec(name: "host", value: "H", help: "address to listen on (default: the config's http.host, 127.0.0.1)"),
            OptionSpec(name: "port", value: "P", help: "port (default: the config's http.port, 8080; 0 = any free port)"),
            OptionSpec(name: "no-workers", help: "serve HTTP only; separate 'gonggao worker' processes deliver"),
        ],
        discussion: """
            One process, one task group: the libmicrohttpd server and, unless --no-workers, one delivery lane per
            enabled channel, and the statutory warnings' evaluation every warnings.evaluateEverySeconds (default 600;
            also after each approval, posting and payment). Prints 'serving on http://HOST:PORT' when it listens. On SIGTERM or SIGINT it stops
            accepting, lets in-flight requests and sends finish within the config's delivery.graceSeconds, and
            exits 0. Logs (requests included, with their request id) are JSON lines on stderr.
            """
    ) { inv, ctx in try await ServeRun.run(inv, ctx) }
}

/// What `gonggao serve` does.
enum ServeRun {
    static func run(_ inv: Invocation, _ ctx: Context) async throws {
        let logger = ctx.logger("serve")
        let now = try WallClock.running(environment: ctx.environment)
        var http = try ServeSettings.http(ctx.config, host: inv.option("host"), port: inv.option("port"))
        let pages = try ServeSettings.pages(ctx.config)
        let console = try ServeSettings.console(ctx.config)
        http.shutdownGrace = .milliseconds(Int64(ctx.config.delivery.graceSeconds * 1000))
        try await ctx.withStore { store in
            let runtime = inv.flag("no-workers")
                ? nil : try ChannelRuntime(config: ctx.config, environment: ctx.environment, logger: logger)
            let engine = try runtime?.engine(store: store, config: ctx.config, logger: logger, now: now)
            let workersRunning = RunningFlag()
            var environment = try Self.environment(
                store: store, ctx: ctx, pages: pages, logger: logger, now: now, engine: engine, workersRunning: workersRunning)
            environment.console = ConsoleSettings(templates: console)
            let server = HTTPServer(configuration: http, router: ServiceApp(environment).router(), logger: logger)
            do {
                try server.start()
            } catch {
                await runtime?.close()
                throw CommandFailure(.failure, "cannot serve on \(http.host):\(http.port): \(error)")
            }
            ctx.output.line("serving on http://\(http.host):\(server.port)")
            logger.notice("service started", [
                "http.port": "\(server.port)", "workers": engine == nil ? "none" : engine!.owner,
            ])
            let reason: String
            let warnings = ctx.warningLoop(store, now: now, logger: logger)
            if let engine {
                await runtime?.recoverPreviews()
                workersRunning.set(true)
                let alerts = try AlertLoop.part(ctx, store: store, now: now, logger: logger)
                let alongside = StoreWakeups.all([{ try? await warnings.run() }, alerts,
                                                  StoreWakeups.listener(store, engine: engine, logger: logger)])
                reason = await WorkerLoop.run(engine: engine, grace: ctx.config.delivery.graceSeconds, logger: logger,
                                              alongside: alongside) {
                    nil
                } stopping: {
                    workersRunning.set(false)
                    await server.stop()
                }
            } else {
                // The warning loop and the stop signal, in one group: the signal ends the loop.
                reason = await withTaskGroup(of: String?.self) { group in
                    group.addTask { try? await warnings.run(); return nil }
                    group.addTask { await StopSignal().wait().map { "signal \($0)" } ?? "stopped" }
                    var reason = "stopped"
                    while let finished = await group.next() {
                        if let finished { reason = finished; break }
                    }
                    group.cancelAll()
                    return reason
                }
                await server.stop()
            }
            await runtime?.close()
            logger.notice("service stopped", ["reason": reason])
        }
    }

    /// The service's environment over `store`: the workflow, the desk, the poster engine and, when
    /// this process delivers, the engine's wake-up and lane status.
    static func environment(
        store: any NoticeStore, ctx: Context, pages: PageTemplates, logger: Logger, now: @escaping @Sendable () -> Date,
        engine: DeliveryEngine?, workersRunning: RunningFlag
    ) throws -> ServiceEnvironment {
        let printing = try PosterKit(config: ctx.config).printing()
        let render: PosterRendering = { version, project, type in
            try await printing.download(version, project: project, png: type == .png)
        }
        let wake: @Sendable () -> Void = { engine?.wake() }
        let lanes: LaneStatusReport = { engine?.laneStatus ?? [] }
        let isRunning: @Sendable () -> Bool = { workersRunning.value }
        let running = engine == nil ? nil : isRunning
        return ServiceEnvironment(
            store: store, workflow: ctx.workflow(store), desk: ctx.desk(store), users: ctx.config.userDirectory,
            auth: AuthSettings(trustedProxies: ctx.config.http.trustedProxies),
            publicBaseURL: ctx.config.publicBaseURL, pages: pages, logger: logger, now: now,
            wake: wake, renderPoster: render, laneStatus: lanes, workersRunning: running,
            warnings: ctx.warningDesk(store, now: now))
    }
}

/// The service's settings from the config and the command line.
enum ServeSettings {
    /// The HTTP server configuration: the config's `http` section, `--host` and `--port` over it.
    static func http(_ config: Config, host: String?, port: String?) throws -> HTTPServerConfiguration {
        var http = HTTPServerConfiguration()
        http.host = host ?? config.http.host
        let chosen = port.map { Int($0) } ?? config.http.port
        guard let chosen, (0...65535).contains(chosen) else {
            throw UsageError("--port must be 0…65535, not '\(port ?? "")'")
        }
        http.port = UInt16(chosen)
        http.connectionLimit = config.http.connectionLimit
        http.threads = max(2, ProcessInfo.processInfo.activeProcessorCount)
        if let problem = http.problem {
            throw host != nil ? UsageError("--host: \(problem)") : ConfigError(file: config.file, path: "http", problem)
        }
        return http
    }

    /// The parcel-page templates, `<templates>/pages/*.html`; an error names the template.
    static func pages(_ config: Config) throws -> PageTemplates {
        let folder = (config.templates as NSString).appendingPathComponent("pages")
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw ConfigError(file: config.file, path: "templates", "\(folder) is not a folder (the parcel-page templates)")
        }
        do {
            return try PageTemplates.load(directory: folder)
        } catch {
            throw ConfigError(file: config.file, path: "templates", "\(folder): \(error)")
        }
    }
}

extension ServeSettings {
    /// The officer console's templates, `<templates>/console/*.html`; an error names the template.
    static func console(_ config: Config) throws -> PageTemplates {
        let folder = (config.templates as NSString).appendingPathComponent("console")
        do {
            return try ConsolePages.load(directory: folder)
        } catch {
            throw ConfigError(file: config.file, path: "templates", "\(folder) (the officer console's templates): \(error)")
        }
    }
}

/// Whether this process's delivery workers are running (read by `/readyz` on HTTP threads).
final class RunningFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var value: Bool { flag.load(ordering: .acquiring) }
    func set(_ running: Bool) { flag.store(running, ordering: .releasing) }
}
