package dev.athanor.bench

import java.io.BufferedReader
import java.io.InputStreamReader
import java.io.PrintStream
import java.nio.charset.StandardCharsets

/**
 * The serving side of a worker JVM: one or more competitors measured in a JVM of their own, driven
 * by the main run over standard input and output so that no competitor's heap sizing or compiled
 * code carries over into another's rounds.
 *
 * The worker first announces each competitor on a line `COMPETITOR <tab-separated fields>`, then
 * `READY`. It then answers `run <workload> <millis> [index]` with `SAMPLE ...` (see
 * [Sample.toLine]), `retained <index> <orm: true|false>` with `RETAINED ...` (see
 * [Retained.Result.toLine]); `quit` (or the end of its input) ends it. Anything else it prints is
 * ignored by the reading side.
 */
object WorkerLoop {
    /** Describes [c] as the fields of its `COMPETITOR` line. */
    fun describe(c: Competitor): String =
        listOf(c.name, c.readsOnly.toString(), c.canStream.toString(), c.orm.joinToString(","))
            .joinToString("\t")

    /** Serves [competitors] until `quit`; the caller closes them afterwards. */
    @JvmStatic
    fun serve(competitors: List<Competitor>) {
        val out = PrintStream(System.out, true, StandardCharsets.UTF_8)
        competitors.forEach { out.println("COMPETITOR " + describe(it)) }
        out.println("READY")
        val input = BufferedReader(InputStreamReader(System.`in`, StandardCharsets.UTF_8))
        while (true) {
            val p = (input.readLine() ?: return).trim().split(" ")
            when (p[0]) {
                "quit" -> return
                "run" -> {
                    val w =
                        Workloads.all().firstOrNull { it.name == p[1] }
                            ?: error("no workload ${p[1]}")
                    val c = competitors[p.getOrNull(3)?.toInt() ?: 0]
                    val s = Measure.run(w.concurrency, p[2].toLong(), { w.op(c, it) }, w.unitsOf)
                    out.println("SAMPLE " + s.toLine())
                }
                "retained" -> {
                    val r = Retained.measure(competitors[p[1].toInt()], p[2].toBoolean())
                    out.println("RETAINED " + r.toLine())
                }
                else -> error("unknown worker command '${p[0]}'")
            }
        }
    }
}
