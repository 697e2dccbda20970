import CMalloc

/// glibc malloc settings for a long-running process that renders posters on several threads.
enum MemoryTuning {
    /// Blocks of 4 MiB and more get a mapping of their own, returned to the system when freed. A poster
    /// page's image surface is 8.7 MB at 150 dpi (35 MB at 300): by default glibc raises this threshold
    /// to the largest block ever freed, after which such surfaces come from each rendering thread's heap
    /// and stay resident (a worker draining 1,000 posters peaked at ~270 MiB; with this, ~180 MiB —
    /// bench/rss.sh). Setting it fixes the threshold; smaller blocks are unaffected.
    static func apply() {
        _ = mallopt(M_MMAP_THRESHOLD, 4 << 20)
    }
}
