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

    /** What one measurement found: the stream's pace and the most live heap it kept. */
    data class Result(val rowsPerSecond: Double, val retainedMb: Double) {
        /** One line for a worker JVM's answer. */
        fun toLine(): String = "$rowsPerSecond $retainedMb"

        companion object {
            /** Reads a line written by [toLine]. */
            fun parse(line: String): Result {
                val f = line.trim().split(" ")
                require(f.size == 2) { "not a retained-heap line: '$line'" }
                return Result(f[0].toDouble(), f[1].toDouble())
            }
        }
    }

    private fun liveHeap(): Long {
        System.gc()
        return heapPools.sumOf { it.usage.used }
    }

    /** Streams through [c] (entities with [orm]) and reports its pace and retained heap. */
    fun measure(c: Competitor, orm: Boolean): Result {
        val base = liveHeap()
        var maxGrowth = 0L
        var seen = 0L
        val t0 = System.nanoTime()
        val sample: (Any) -> Unit = {
            if (++seen % EVERY == 0L) maxGrowth = maxOf(maxGrowth, liveHeap() - base)
        }
        val rows = (if (orm) c.ormStream(sample) else c.stream { id, _ -> sample(id) }).block()!!
        val seconds = (System.nanoTime() - t0) / 1e9
        return Result(rows / seconds, maxGrowth / 1048576.0)
    }
}
