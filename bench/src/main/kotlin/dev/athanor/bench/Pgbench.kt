package dev.athanor.bench

import dev.athanor.engine.EngineUrl
import java.io.File
import java.util.concurrent.TimeUnit

/** pgbench with the same primary-key select, as the C-client reference. */
object Pgbench {
    private const val SELECT = "SELECT id, name, email FROM bench_users WHERE id = :id;\n"

    /**
     * Returns transactions per second, or null when pgbench is not installed. With [sameStatements]
     * each transaction sends what Athanor's default path sends: BEGIN and the select in one flight
     * (a pipeline), then ROLLBACK; the C client's cost is close to nothing, so its drop from the
     * bare select is what the two statements cost the server (on a machine it shares with the
     * client).
     */
    fun run(url: String, clients: Int, seconds: Int, sameStatements: Boolean = false): Double? {
        val u = EngineUrl.parse(url)
        val script = File.createTempFile("athanor-pk", ".sql")
        script.writeText(
            "\\set id random(1, ${Workloads.USERS})\n" +
                if (sameStatements) "\\startpipeline\nBEGIN;\n$SELECT\\endpipeline\nROLLBACK;\n"
                else SELECT
        )
        val cmd =
            listOf(
                "pgbench",
                "-n",
                "-M",
                "prepared",
                "-f",
                script.path,
                "-c",
                clients.toString(),
                "-j",
                minOf(clients, Runtime.getRuntime().availableProcessors()).toString(),
                "-T",
                seconds.toString(),
                "-h",
                u.host(),
                "-p",
                u.port().toString(),
                "-U",
                u.user() ?: "postgres",
                u.database(),
            )
        return try {
            val p = ProcessBuilder(cmd).redirectErrorStream(true).start()
            val out = p.inputStream.bufferedReader().readText()
            p.waitFor(seconds + 30L, TimeUnit.SECONDS)
            Regex("tps = ([0-9.]+)").find(out)?.groupValues?.get(1)?.toDouble()
        } catch (e: java.io.IOException) {
            null
        } finally {
            script.delete()
        }
    }
}
