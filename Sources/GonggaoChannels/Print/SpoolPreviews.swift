import CMalloc
import Dispatch
import Foundation
import GonggaoCore
import GonggaoPoster
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Renders spooled posters' PNG preview pages after the print delivery was acknowledged on its PDF.
///
/// A print station prints the PDF; the PNG pages are previews. Rendering them costs about twice the
/// PDF, so the print channel acknowledges once the PDF is spooled (and submitted to the printer) and
/// hands the pages to this queue: one thread of its own, at a lower scheduling priority (nice 10), with
/// its own renderer, so previews use the CPU the deliveries leave free and never delay them.
///
/// Durable: `record` writes the job to `<spool>/.previews/` before the delivery is acknowledged; the
/// pages are written (atomically, then the manifest is rewritten naming them and their SHA-256) and only
/// then is the job file removed. `recover` picks up the jobs a crash left behind.
public final class SpoolPreviews: Sendable {
    public let spool: SpoolFolder
    public let dpi: Int
    private let renderer: PosterRenderer
    private let seal: SealImage?
    private let logger: Logger
    private let state = Mutex(State())
    private let wakeUp = DispatchSemaphore(value: 0)

    private struct State {
        var queue: [PreviewJob] = []
        var busy = false
        var started = false
        var stopped = false
    }

    public init(spool: SpoolFolder, renderer: PosterRenderer, dpi: Int, seal: SealImage?, logger: Logger) {
        self.spool = spool
        self.renderer = renderer
        self.dpi = dpi
        self.seal = seal
        self.logger = logger.with(["component": "spool-previews"])
    }

    /// `<spool>/.previews`: the jobs not yet rendered.
    public var jobFolder: String { spool.root + "/.previews" }

    /// Writes the job's file (synced) so the pages are rendered even if this process dies now.
    public func record(_ job: PreviewJob) throws {
        try FileManager.default.createDirectory(atPath: jobFolder, withIntermediateDirectories: true)
        try SpoolFolder.writeAtomically(Array(try JSONEncoder().encode(job)), to: jobFolder + "/" + job.fileName)
        SpoolFolder.syncDirectory(jobFolder)
    }

    /// Queues a recorded job for rendering.
    public func submit(_ job: PreviewJob) {
        let startThread = state.withLock { s -> Bool in
            guard !s.stopped else { return false }
            s.queue.append(job)
            defer { s.started = true }
            return !s.started
        }
        if startThread { start() }
        wakeUp.signal()
    }

    /// Queues every job a previous run left in `.previews/` (a crash, or a stop with previews pending);
    /// returns how many. A job whose PDF is not in the spool belongs to a delivery that was never
    /// acknowledged: its retry records it again, so it is left alone (and removed after a day).
    @discardableResult
    public func recover(now: Date = Date()) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: jobFolder)) ?? []
        var queued = 0
        for name in names.sorted() where name.hasSuffix(".json") && !name.contains(".tmp-") {
            let path = jobFolder + "/" + name
            guard let data = FileManager.default.contents(atPath: path), let job = try? JSONDecoder().decode(PreviewJob.self, from: data) else {
                logger.error("unreadable preview job; left in place", ["path": path])
                continue
            }
            if !FileManager.default.fileExists(atPath: spool.folder(county: job.county, township: job.township) + "/\(job.baseName).pdf") {
                let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? now
                if now.timeIntervalSince(modified) > 86_400 { unlink(path) }
                continue
            }
            submit(job)
            queued += 1
        }
        if queued > 0 { logger.notice("preview pages to render from a previous run", ["jobs": "\(queued)"]) }
        return queued
    }

    /// Jobs queued or being rendered.
    public var pending: Int { state.withLock { $0.queue.count + ($0.busy ? 1 : 0) } }

    /// Returns once every queued job is rendered (`gonggao worker --until-idle`, tests).
    public func drain() async {
        while pending > 0 {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Stops after the job being rendered; the queued ones stay recorded for the next run.
    public func stop() {
        state.withLock { s in
            s.stopped = true
            s.queue.removeAll()
        }
        wakeUp.signal()
    }

    private func start() {
        let thread = Thread { [self] in
            // Linux: PRIO_PROCESS with who 0 is the calling thread only.
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
            loop()
        }
        thread.name = "gonggao.previews"
        thread.start()
    }

    private func loop() {
        while true {
            wakeUp.wait()
            while let job = next() {
                render(job)
                state.withLock { $0.busy = false }
            }
            if state.withLock({ $0.stopped }) { return }
        }
    }

    private func next() -> PreviewJob? {
        state.withLock { s in
            guard !s.stopped, !s.queue.isEmpty else { return nil }
            s.busy = true
            return s.queue.removeFirst()
        }
    }

    /// Renders one job's pages, writes them and the completed manifest, removes the job file. A failure
    /// is logged and the job file kept: the next run tries again.
    private func render(_ job: PreviewJob) {
        do {
            let poster = try renderer.render(job.poster.input(seal: seal), format: .png, dpi: dpi)
            var manifest = job.manifest
            manifest.dpi = dpi
            manifest.previewsPending = nil
            let files = poster.pngPages.enumerated().map { (suffix: "-p\($0.offset + 1).png", bytes: $0.element) }
            _ = try spool.write(county: job.county, township: job.township, baseName: job.baseName, files: files, manifest: manifest)
            unlink(jobFolder + "/" + job.fileName)
            // Freed page surfaces stay in this thread's malloc arena: hand them back once the queue is empty.
            if pending <= 1 { malloc_trim(0) }
        } catch {
            logger.error("preview pages not rendered; kept for the next run", ["poster": job.baseName, "error": "\(error)"])
        }
    }
}
