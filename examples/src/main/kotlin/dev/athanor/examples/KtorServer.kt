package dev.athanor.examples

import dev.athanor.coroutines.AsyncEngine
import dev.athanor.coroutines.createAll
import dev.athanor.coroutines.createAsyncEngine
import io.ktor.server.cio.CIO
import io.ktor.server.engine.EmbeddedServer
import io.ktor.server.engine.embeddedServer
import kotlinx.coroutines.runBlocking

/**
 * Starts the notes service ([notesService]) as a real server on Ktor's CIO engine, on [port] (0:
 * any free port), over [engine]; the tables are created if missing. Stop it with `stop()`.
 */
fun startNotesServer(engine: AsyncEngine, port: Int): EmbeddedServer<*, *> {
    runBlocking { engine.begin { c -> noteRegistry.metadata().createAll(c) } }
    return embeddedServer(CIO, port = port) { notesService(engine) }.start(wait = false)
}

/**
 * The notes service as a standalone server:
 * ```
 * mvn -q -pl examples -am package exec:java -DskipTests \
 *     -Dexec.mainClass=dev.athanor.examples.KtorServerKt -Dexec.args="8080"
 * curl -d 'buy milk' localhost:8080/notes; curl localhost:8080/notes
 * ```
 *
 * The arguments are the port (8080) and a database URL (or ATHANOR_URL; embedded H2 by default).
 * The server runs until the process is stopped; the engine is disposed on the way out.
 */
fun main(args: Array<String>) {
    val port = args.getOrNull(0)?.toInt() ?: 8080
    val url = args.getOrNull(1) ?: System.getenv("ATHANOR_URL") ?: "h2:mem:///notes"
    val engine = runBlocking { createAsyncEngine(url) }
    val server = startNotesServer(engine, port)
    Runtime.getRuntime()
        .addShutdownHook(
            Thread {
                server.stop(500, 2_000)
                runBlocking { engine.dispose() }
            }
        )
    println("notes service on http://localhost:$port/notes")
    Thread.currentThread().join()
}
