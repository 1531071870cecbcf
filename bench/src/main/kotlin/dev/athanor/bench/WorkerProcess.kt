package dev.athanor.bench

import java.io.BufferedReader
import java.io.File
import java.io.PrintWriter
import java.util.concurrent.TimeUnit
import reactor.core.publisher.Mono

/**
 * A peer measured in a JVM of its own, driven round by round over its standard input and output
 * (`run <workload> <millis>` answered by `SAMPLE ...`), so that it is still interleaved with the
 * others. Hibernate Reactive needs this: its Netty 4.1 cannot share our class path.
 */
class WorkerProcess(
    override val name: String,
    override val canStream: Boolean,
    override val orm: Set<String>,
    command: List<String>,
    private val log: File,
) : Competitor {
    private val process: Process =
        ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log)).start()
    private val input: BufferedReader = process.inputStream.bufferedReader()
    private val output = PrintWriter(process.outputStream, true)

    init {
        readUntil("READY")
    }

    private fun readUntil(prefix: String): String {
        while (true) {
            val line =
                input.readLine()
                    ?: error("$name worker ended before answering '$prefix'; see ${log.path}")
            if (line.startsWith(prefix)) return line
        }
    }

    /** Runs one measured run of [workload] in the worker. */
    fun measure(workload: String, millis: Long): Sample {
        output.println("run $workload $millis")
        return Sample.parse(readUntil("SAMPLE ").removePrefix("SAMPLE "))
    }

    private fun remote(): Nothing =
        throw UnsupportedOperationException("$name runs in its own JVM; use measure()")

    override fun pkSelect(id: Int): Mono<User> = remote()

    override fun select100(offset: Int): Mono<List<User>> = remote()

    override fun insertBatch(n: Int, base: Int): Mono<Long> = remote()

    override fun stream(consume: (Int, String) -> Unit): Mono<Long> = remote()

    override fun shortTransaction(id: Int): Mono<Long> = remote()

    override fun ormGet(id: Int): Mono<Any> = remote()

    override fun ormQuery100(offset: Int): Mono<List<Any>> = remote()

    override fun close() {
        output.println("quit")
        if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly()
    }

    companion object {
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
        ): WorkerProcess? {
            val module =
                listOf(File("bench-hibernate"), File("../bench-hibernate")).firstOrNull {
                    it.isDirectory
                }
            val cpFile = module?.let { File(it, "target/worker-classpath.txt") }
            val classes = module?.let { File(it, "target/classes") }
            if (cpFile == null || !cpFile.isFile || classes == null || !classes.isDirectory) {
                println(
                    "!! Hibernate Reactive skipped: bench-hibernate is not built. Run the README's bench command " +
                        "(mvn -q -pl bench-hibernate,bench -am package -DskipTests exec:java)."
                )
                return null
            }
            val java = ProcessHandle.current().info().command().orElse("java")
            val cp = classes.absolutePath + File.pathSeparator + cpFile.readText().trim()
            resultsDir.mkdirs()
            val name =
                if (transactional) "hibernate reactive" else "hibernate reactive (withSession)"
            return WorkerProcess(
                name,
                canStream = false,
                if (transactional) setOf("get", "query", "insert", "update") else setOf("get"),
                listOf(
                    java,
                    "-Xmx1g",
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
