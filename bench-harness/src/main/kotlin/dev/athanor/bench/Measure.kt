package dev.athanor.bench

import java.lang.management.ManagementFactory
import java.lang.management.MemoryType
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicLong
import reactor.core.publisher.Flux
import reactor.core.publisher.Mono

/** One measured run of one competitor on one workload. */
data class Sample(
    val ops: Long,
    val units: Long,
    val seconds: Double,
    val p50Micros: Double,
    val p99Micros: Double,
    val allocBytesPerOp: Double,
    val peakHeapMb: Double,
    val heapGrowthMb: Double,
    /** The worker JVM's CPU time (all its threads: callers, event loops, GC, JIT) per unit. */
    val cpuMicrosPerUnit: Double,
) {
    /** Units (rows, or operations) per second. */
    val unitsPerSecond: Double
        get() = units / seconds

    /** Writes this sample as one line of space-separated numbers, for a worker JVM's answer. */
    fun toLine(): String =
        listOf(
                ops,
                units,
                seconds,
                p50Micros,
                p99Micros,
                allocBytesPerOp,
                peakHeapMb,
                heapGrowthMb,
                cpuMicrosPerUnit,
            )
            .joinToString(" ")

    companion object {
        /** Reads a line written by [toLine]. */
        fun parse(line: String): Sample {
            val f = line.trim().split(" ")
            require(f.size == 9) { "not a sample line: '$line'" }
            return Sample(
                f[0].toLong(),
                f[1].toLong(),
                f[2].toDouble(),
                f[3].toDouble(),
                f[4].toDouble(),
                f[5].toDouble(),
                f[6].toDouble(),
                f[7].toDouble(),
                f[8].toDouble(),
            )
        }
    }
}

/** Measures throughput, latency, allocation (all threads) and heap of reactive operations. */
object Measure {
    private val threads = ManagementFactory.getThreadMXBean() as com.sun.management.ThreadMXBean
    private val heapPools =
        ManagementFactory.getMemoryPoolMXBeans().filter { it.type == MemoryType.HEAP }

    private fun allocatedBytes(): Long =
        threads.getThreadAllocatedBytes(threads.allThreadIds).filter { it > 0 }.sum()

    private val os =
        ManagementFactory.getOperatingSystemMXBean() as com.sun.management.OperatingSystemMXBean

    private fun usedHeap(): Long = heapPools.sumOf { it.usage.used }

    /**
     * Runs [op] from [concurrency] loops until [millis] pass; each finished op adds
     * `unitsOf(result)` units (1 for a plain operation, rows for a stream).
     */
    fun run(
        concurrency: Int,
        millis: Long,
        op: (Int) -> Mono<*>,
        unitsOf: (Any?) -> Long = { 1L },
    ): Sample {
        System.gc()
        val heapBefore = usedHeap()
        heapPools.forEach { it.resetPeakUsage() }
        val allocBefore = allocatedBytes()
        val cpuBefore = os.processCpuTime
        val latencies = LongArray(1 shl 20)
        val latencyCount = AtomicInteger()
        val ops = AtomicLong()
        val units = AtomicLong()
        val seq = AtomicInteger()
        val start = System.nanoTime()
        val deadline = start + millis * 1_000_000
        Flux.range(0, concurrency)
            .flatMap(
                {
                    Mono.defer {
                            val t0 = System.nanoTime()
                            op(seq.getAndIncrement()).doOnSuccess { r ->
                                val i = latencyCount.getAndIncrement()
                                if (i < latencies.size) latencies[i] = System.nanoTime() - t0
                                ops.incrementAndGet()
                                units.addAndGet(unitsOf(r))
                            }
                        }
                        .repeat { System.nanoTime() < deadline }
                        .then()
                },
                concurrency,
            )
            .blockLast()
        val seconds = (System.nanoTime() - start) / 1e9
        val alloc = allocatedBytes() - allocBefore
        val cpuNanos = os.processCpuTime - cpuBefore
        val peak = heapPools.sumOf { it.peakUsage.used }
        val n = minOf(latencyCount.get(), latencies.size)
        val sorted = latencies.copyOf(n).also { it.sort() }
        fun pct(p: Double) = if (n == 0) 0.0 else sorted[minOf(n - 1, (p * n).toInt())] / 1000.0
        return Sample(
            ops.get(),
            units.get(),
            seconds,
            pct(0.50),
            pct(0.99),
            if (ops.get() == 0L) 0.0 else alloc.toDouble() / ops.get(),
            peak / 1048576.0,
            (peak - heapBefore) / 1048576.0,
            if (units.get() == 0L) 0.0 else cpuNanos / 1000.0 / units.get(),
        )
    }
}
