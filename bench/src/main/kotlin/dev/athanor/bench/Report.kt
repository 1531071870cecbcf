package dev.athanor.bench

import java.awt.BasicStroke
import java.awt.Color
import java.awt.Font
import java.awt.RenderingHints
import java.awt.image.BufferedImage
import java.io.File
import javax.imageio.ImageIO

/** The aggregated result of one competitor on one workload (median over rounds). */
data class Row(
    val workload: String,
    val unit: String,
    val competitor: String,
    val perSecond: Double,
    val ratio: Double,
    val p50Micros: Double,
    val p99Micros: Double,
    val allocKbPerOp: Double,
    val peakHeapMb: Double,
    val heapGrowthMb: Double,
    val rounds: List<Double>,
    /** The competitor's JVM's CPU time per unit (median over rounds); 0 where not measured. */
    val cpuMicrosPerUnit: Double = 0.0,
)

/** Prints the table, writes JSON and draws the ratio chart. */
object Report {
    fun table(rows: List<Row>): String = buildString {
        appendLine(
            String.format(
                "%-15s %-26s %12s %7s %9s %9s %10s %9s %9s %9s",
                "workload",
                "competitor",
                "per second",
                "ratio",
                "p50 us",
                "p99 us",
                "alloc KB",
                "heap MB",
                "growth MB",
                "CPU us/u",
            )
        )
        for (r in rows) {
            appendLine(
                String.format(
                    "%-15s %-26s %10.0f/%s %7.2f %9.0f %9.0f %10.1f %9.0f %9.1f %9.2f",
                    r.workload,
                    r.competitor,
                    r.perSecond,
                    r.unit.take(1),
                    r.ratio,
                    r.p50Micros,
                    r.p99Micros,
                    r.allocKbPerOp,
                    r.peakHeapMb,
                    r.heapGrowthMb,
                    r.cpuMicrosPerUnit,
                )
            )
        }
    }

    /** Reads back the rows of a file written by [json] (enough of them to draw the chart). */
    /**
     * Reads the rows of a results file: each object of its results with a workload, a unit, a
     * competitor, a rate and a ratio, whatever the order of its fields and the spacing (a file
     * merged from several runs by another tool reads as well as one this harness wrote).
     */
    fun rowsFromJson(text: String): List<Row> {
        fun field(obj: String, name: String): String? =
            Regex(""""$name"\s*:\s*("([^"]*)"|[-\d.eE+]+)""").find(obj)?.let {
                it.groups[2]?.value ?: it.groups[1]!!.value
            }
        return Regex("""\{[^{}]*"workload"[^{}]*\}""")
            .findAll(text)
            .mapNotNull { m ->
                val obj = m.value
                val perSecond = field(obj, "per_second")?.toDoubleOrNull() ?: return@mapNotNull null
                Row(
                    field(obj, "workload") ?: return@mapNotNull null,
                    field(obj, "unit") ?: "",
                    field(obj, "competitor") ?: return@mapNotNull null,
                    perSecond,
                    field(obj, "ratio_to_raw")?.toDoubleOrNull() ?: 0.0,
                    0.0,
                    0.0,
                    0.0,
                    0.0,
                    0.0,
                    listOf(perSecond),
                )
            }
            .toList()
    }

    fun json(rows: List<Row>, meta: Map<String, String>): String = buildString {
        append("{\n  \"meta\": {")
        append(
            meta.entries.joinToString(", ") { "\"${it.key}\": \"${it.value.replace("\"", "'")}\"" }
        )
        append("},\n  \"results\": [\n")
        append(
            rows.joinToString(",\n") { r ->
                "    {\"workload\": \"${r.workload}\", \"unit\": \"${r.unit}\", \"competitor\": \"${r.competitor}\", " +
                    "\"per_second\": ${"%.1f".format(r.perSecond)}, \"ratio_to_raw\": ${"%.3f".format(r.ratio)}, " +
                    "\"p50_us\": ${"%.1f".format(r.p50Micros)}, \"p99_us\": ${"%.1f".format(r.p99Micros)}, " +
                    "\"alloc_kb_per_op\": ${"%.2f".format(r.allocKbPerOp)}, \"peak_heap_mb\": ${"%.1f".format(r.peakHeapMb)}, " +
                    "\"heap_growth_mb\": ${"%.1f".format(r.heapGrowthMb)}, " +
                    "\"cpu_us_per_unit\": ${"%.3f".format(r.cpuMicrosPerUnit)}, " +
                    "\"rounds_per_second\": [${r.rounds.joinToString(", ") { "%.1f".format(it) }}]}"
            }
        )
        append("\n  ]\n}\n")
    }

    /** Draws one group of bars per workload: each competitor's ratio to the raw driver. */
    fun chart(rows: List<Row>, file: File) {
        val workloads = rows.map { it.workload }.distinct()
        val competitors =
            rows
                .map { it.competitor }
                .distinct()
                .filter { it != "raw r2dbc" && !it.startsWith("pgbench") }
        val w = 140 + workloads.size * 130
        val h = 460
        val img = BufferedImage(w, h, BufferedImage.TYPE_INT_RGB)
        val g = img.createGraphics()
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON)
        g.color = Color.WHITE
        g.fillRect(0, 0, w, h)
        val top = 40
        val bottom = h - 90
        val left = 60
        val maxRatio =
            maxOf(1.2, rows.filter { it.competitor in competitors }.maxOfOrNull { it.ratio } ?: 1.2)
        fun y(r: Double) = bottom - ((bottom - top) * r / maxRatio).toInt()
        g.color = Color.BLACK
        g.font = Font(Font.SANS_SERIF, Font.BOLD, 14)
        g.drawString("Throughput relative to the raw r2dbc-postgresql driver (1.0 = raw)", left, 24)
        g.font = Font(Font.SANS_SERIF, Font.PLAIN, 11)
        for (tick in listOf(0.0, 0.5, 0.9, 1.0, 1.5, 2.0, 3.0).filter { it <= maxRatio }) {
            g.color = if (tick == 0.9) Color(200, 60, 60) else Color(220, 220, 220)
            g.stroke = BasicStroke(if (tick == 0.9) 1.5f else 1f)
            g.drawLine(left, y(tick), w - 20, y(tick))
            g.color = Color.DARK_GRAY
            g.drawString("%.1f".format(tick), 20, y(tick) + 4)
        }
        val palette =
            listOf(
                Color(66, 133, 244),
                Color(244, 160, 0),
                Color(15, 157, 88),
                Color(171, 71, 188),
                Color(120, 120, 120),
                Color(219, 68, 55),
                Color(0, 172, 193),
                Color(255, 112, 67),
                Color(26, 35, 126),
                Color(141, 110, 99),
            )
        val groupWidth = 130
        val barWidth = (groupWidth - 30) / maxOf(1, competitors.size)
        workloads.forEachIndexed { wi, wl ->
            val x0 = left + 10 + wi * groupWidth
            competitors.forEachIndexed { ci, c ->
                val r =
                    rows.firstOrNull { it.workload == wl && it.competitor == c }
                        ?: return@forEachIndexed
                g.color = palette[ci % palette.size]
                g.fillRect(x0 + ci * barWidth, y(r.ratio), barWidth - 2, bottom - y(r.ratio))
            }
            g.color = Color.BLACK
            g.drawString(wl, x0, bottom + 16)
        }
        // The legend flows left to right, each entry as wide as its name, onto a second line if
        // needed.
        var lx = left
        var ly = h - 52
        competitors.forEachIndexed { ci, c ->
            val entry = 18 + g.fontMetrics.stringWidth(c) + 24
            if (lx + entry > w - 20 && lx > left) {
                lx = left
                ly += 22
            }
            g.color = palette[ci % palette.size]
            g.fillRect(lx, ly, 12, 12)
            g.color = Color.BLACK
            g.drawString(c, lx + 18, ly + 10)
            lx += entry
        }
        g.dispose()
        file.parentFile?.mkdirs()
        ImageIO.write(img, "png", file)
    }
}
