package dev.athanor.bench

import java.io.BufferedReader
import java.io.File
import java.io.PrintWriter
import java.util.concurrent.TimeUnit

/**
 * A JVM of its own running some competitors ([WorkerLoop] on its side), driven round by round over
 * its standard input and output, so that the rounds of the competitors still interleave while none
 * shares a heap, a garbage collector's sizing or compiled code with another JVM's. Its competitors
 * are [competitors], stand-ins that the main run measures through this JVM.
 */
class WorkerJvm(private val label: String, command: List<String>, private val log: File) :
    AutoCloseable {
    private val process: Process =
        ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log)).start()
    private val input: BufferedReader = process.inputStream.bufferedReader()
    private val output = PrintWriter(process.outputStream, true)

    /** The competitors the worker announced, in its order. */
    val competitors: List<RemoteCompetitor>

    init {
        val announced = mutableListOf<RemoteCompetitor>()
        while (true) {
            val line = readLine("READY")
            if (line.startsWith("READY")) break
            if (line.startsWith("COMPETITOR ")) {
                announced +=
                    RemoteCompetitor.parse(this, announced.size, line.removePrefix("COMPETITOR "))
            }
        }
        competitors = announced
    }

    private fun readLine(awaited: String): String =
        input.readLine()
            ?: error("$label worker ended before answering '$awaited'; see ${log.path}")

    private fun readUntil(prefix: String): String {
        while (true) {
            val line = readLine(prefix)
            if (line.startsWith(prefix)) return line.removePrefix(prefix)
        }
    }

    /** Runs one measured run of [workload] by the competitor at [index]. */
    fun measure(index: Int, workload: String, millis: Long): Sample {
        output.println("run $workload $millis $index")
        return Sample.parse(readUntil("SAMPLE "))
    }

    /** Measures the retained heap of a stream by the competitor at [index]. */
    fun retained(index: Int, orm: Boolean): Retained.Result {
        output.println("retained $index $orm")
        return Retained.Result.parse(readUntil("RETAINED "))
    }

    override fun close() {
        output.println("quit")
        if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly()
    }

    companion object {
        /**
         * The options of every worker JVM: Netty's leak detector off, the heap kept at the size it
         * grew to, then `ATHANOR_BENCH_WORKER_OPTS` (space-separated), if set, whose options win.
         *
         * At its default level the detector tracks one buffer in 128; when the one it picks lives
         * long (a connection's read buffer), every row sliced from it is wrapped and tracked too,
         * which is chance and differs from one JVM run to the next.
         * `-Dio.netty.leakDetection.level=simple` restores Netty's default.
         *
         * Every round starts with `System.gc()` (the baseline of the heap columns). With G1's
         * default `MaxHeapFreeRatio` (70) that full collection gave most of the heap back to the
         * system, and the round then ran while G1 grew it again: new pages faulted in, the young
         * generation sized anew. A service that runs for hours pays that once; the benchmark paid
         * it every round, the more so the more a competitor allocates. `-XX:MaxHeapFreeRatio=100`
         * keeps what the heap grew to and changes nothing else of the JVM's defaults;
         * `-XX:MaxHeapFreeRatio=70` restores them.
         */
        private fun jvmOptions(): List<String> =
            listOf("-Dio.netty.leakDetection.level=disabled", "-XX:MaxHeapFreeRatio=100") +
                (System.getenv("ATHANOR_BENCH_WORKER_OPTS")?.split(' ')?.filter { it.isNotBlank() }
                    ?: emptyList())

        /** The classes and class path of a built module, or null when it was not built. */
        private fun classPath(module: String): String? {
            val dir = listOf(File(module), File("../$module")).firstOrNull { it.isDirectory }
            val cpFile = dir?.let { File(it, "target/worker-classpath.txt") }
            val classes = dir?.let { File(it, "target/classes") }
            if (cpFile == null || !cpFile.isFile || classes == null || !classes.isDirectory) {
                return null
            }
            return classes.absolutePath + File.pathSeparator + cpFile.readText().trim()
        }

        private val java: String = ProcessHandle.current().info().command().orElse("java")

        /**
         * Starts a worker of the `bench` module running one group of [BenchWorker] (`raw`,
         * `athanor`, `peers`) against [url].
         */
        fun group(group: String, url: String, target: PgTarget, resultsDir: File): WorkerJvm {
            val cp =
                classPath("bench")
                    ?: error(
                        "bench/target/worker-classpath.txt is missing: build with the README's bench " +
                            "command (mvn -q -pl bench-hibernate,bench -am package -DskipTests exec:java)"
                    )
            resultsDir.mkdirs()
            return WorkerJvm(
                group,
                listOf(java) +
                    jvmOptions() +
                    listOf(
                        "-cp",
                        cp,
                        "dev.athanor.bench.BenchWorkerKt",
                        group,
                        url,
                        target.poolSize.toString(),
                        target.loops.toString(),
                    ),
                File(resultsDir, "worker-$group.log"),
            )
        }

        /**
         * Starts the Hibernate Reactive worker built by the `bench-hibernate` module, or returns
         * null (and says so loudly) when that module was not built. With [transactional] its `find`
         * runs in `withTransaction` and it also runs the query, insert and update workloads;
         * without, `find` runs in `withSession` and it runs the get workloads only.
         */
        fun hibernate(
            target: PgTarget,
            resultsDir: File,
            transactional: Boolean = true,
        ): WorkerJvm? {
            val cp = classPath("bench-hibernate")
            if (cp == null) {
                println(
                    "!! Hibernate Reactive skipped: bench-hibernate is not built. Run the README's bench command " +
                        "(mvn -q -pl bench-hibernate,bench -am package -DskipTests exec:java)."
                )
                return null
            }
            resultsDir.mkdirs()
            return WorkerJvm(
                "hibernate",
                listOf(java) +
                    jvmOptions() +
                    listOf(
                        "-cp",
                        cp,
                        "dev.athanor.bench.hibernate.HibernateWorker",
                        target.host,
                        target.port.toString(),
                        target.db,
                        target.user,
                        target.poolSize.toString(),
                        target.loops.toString(),
                        if (transactional) "transaction" else "session",
                    ),
                File(
                    resultsDir,
                    if (transactional) "hibernate-worker.log" else "hibernate-session-worker.log",
                ),
            )
        }
    }
}
