import CMalloc
import Dispatch
import Foundation
import GonggaoPoster
import Synchronization

/// Poster renderers, one per core by default, each on its own serial queue (pango/cairo block, and a
/// renderer is used by one thread at a time): a render goes to the renderer with the fewest renders
/// waiting, so two print sends render side by side instead of queueing behind one another.
final class RendererPool: Sendable {
    private let renderers: [(renderer: PosterRenderer, queue: DispatchQueue)]
    private let waiting: Mutex<[Int]>

    init(template: PosterTemplate, count: Int = RendererPool.defaultCount) throws {
        renderers = try (0..<max(1, count)).map { i in
            (try PosterRenderer(template: template), DispatchQueue(label: "gonggao.poster.\(i)"))
        }
        waiting = Mutex(Array(repeating: 0, count: max(1, count)))
    }

    /// The cores this process may use, at most 4 (a renderer holds its fonts: ~10 MB each).
    static var defaultCount: Int { min(4, max(1, ProcessInfo.processInfo.activeProcessorCount)) }

    var count: Int { renderers.count }

    func render(_ input: PosterInput, format: PosterFormat, dpi: Int) async throws -> RenderedPoster {
        let index = waiting.withLock { w -> Int in
            let i = w.indices.min { w[$0] < w[$1] } ?? 0
            w[i] += 1
            return i
        }
        let (renderer, queue) = renderers[index]
        return try await withCheckedThrowingContinuation { (c: CheckedContinuation<RenderedPoster, Error>) in
            queue.async { [self] in
                c.resume(with: Result { try renderer.render(input, format: format, dpi: dpi) })
                let idle = self.waiting.withLock { w -> Bool in
                    w[index] -= 1
                    return w.allSatisfy { $0 == 0 }
                }
                // A render's big blocks (page surfaces, font subsets) stay in this thread's malloc arena
                // once freed; when no render is waiting, hand them back (peak RSS of a batch, bench/rss.sh).
                if idle { malloc_trim(0) }
            }
        }
    }
}
