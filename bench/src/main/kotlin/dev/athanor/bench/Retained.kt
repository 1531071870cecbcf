package dev.athanor.bench

import java.lang.management.ManagementFactory
import java.lang.management.MemoryType

/**
 * The streaming memory goal, measured as the live set rather than the peak: streams 1,000,000 rows
 * and, every 100,000 rows, collects garbage and reads the used heap. The largest reading minus the
 * reading before the stream is what the stream keeps alive (the goal: under 32 MB). The collections
 * slow the stream, so its rows/s are not comparable with the throughput runs.
 */
object Retained {
    const val WORKLOAD = "stream_1m_retained"
    private const val EVERY = 100_000
    private val heapPools =
        ManagementFactory.getMemoryPoolMXBeans().filter { it.type == MemoryType.HEAP }

    private fun liveHeap(): Long {
        System.gc()
        return heapPools.sumOf { it.usage.used }
    }

    /** Measures [c]; the row's growth column is the retained megabytes. */
    fun measure(c: Competitor, rawRowsPerSecond: Double?): Row {
        val base = liveHeap()
        var maxGrowth = 0L
        var seen = 0L
        val t0 = System.nanoTime()
        val rows =
            c.stream {
                    if (++seen % EVERY == 0L) maxGrowth = maxOf(maxGrowth, liveHeap() - base)
                }
                .block()!!
        val seconds = (System.nanoTime() - t0) / 1e9
        val perSecond = rows / seconds
        val mb = maxGrowth / 1048576.0
        return Row(
            WORKLOAD,
            "rows",
            c.name,
            perSecond,
            rawRowsPerSecond?.let { perSecond / it } ?: 1.0,
            0.0,
            0.0,
            0.0,
            0.0,
            mb,
            listOf(perSecond),
        )
    }
}
