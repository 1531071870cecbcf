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

    /** The same for a stream of entities ([Competitor.ormStream]); the goal there: under 64 MB. */
    const val ORM_WORKLOAD = "orm_stream_1m_retained"
    private const val EVERY = 100_000
    private val heapPools =
        ManagementFactory.getMemoryPoolMXBeans().filter { it.type == MemoryType.HEAP }

    private fun liveHeap(): Long {
        System.gc()
        return heapPools.sumOf { it.usage.used }
    }

    /** Measures [c]; the row's growth column is the retained megabytes. */
    fun measure(c: Competitor, rawRowsPerSecond: Double?, orm: Boolean = false): Row {
        val base = liveHeap()
        var maxGrowth = 0L
        var seen = 0L
        val t0 = System.nanoTime()
        val sample: (Any) -> Unit = {
            if (++seen % EVERY == 0L) maxGrowth = maxOf(maxGrowth, liveHeap() - base)
        }
        val rows = (if (orm) c.ormStream(sample) else c.stream { id, _ -> sample(id) }).block()!!
        val seconds = (System.nanoTime() - t0) / 1e9
        val perSecond = rows / seconds
        val mb = maxGrowth / 1048576.0
        return Row(
            if (orm) ORM_WORKLOAD else WORKLOAD,
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
