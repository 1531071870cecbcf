package dev.athanor.examples

import dev.athanor.coroutines.createAll
import dev.athanor.coroutines.createAsyncEngine
import dev.athanor.coroutines.dropAll
import dev.athanor.testkit.TestDatabases
import io.ktor.client.request.get
import io.ktor.client.request.post
import io.ktor.client.request.setBody
import io.ktor.client.statement.bodyAsText
import io.ktor.http.HttpStatusCode
import io.ktor.server.testing.testApplication
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.MethodSource

/** The Ktor service, through Ktor's test host, on every database. */
class KtorServiceTest {
    companion object {
        @JvmStatic fun dbs(): List<TestDatabases.Db> = TestDatabases.all()
    }

    @ParameterizedTest
    @MethodSource("dbs")
    fun oneSessionPerCallCommittedByWritesAndClosedAfterEachResponse(db: TestDatabases.Db) {
        val engine = runBlocking { createAsyncEngine(db.url) { poolSize = 2 } }
        try {
            runBlocking {
                engine.begin { c ->
                    noteRegistry.metadata().dropAll(c)
                    noteRegistry.metadata().createAll(c)
                }
            }
            testApplication {
                application { notesService(engine) }
                val first = client.post("/notes") { setBody("buy milk") }
                assertEquals(HttpStatusCode.Created, first.status)
                client.post("/notes") { setBody("call sandy") }
                assertEquals("1: buy milk\n2: call sandy", client.get("/notes").bodyAsText())
                assertEquals("call sandy", client.get("/notes/2").bodyAsText())
                assertEquals(HttpStatusCode.NotFound, client.get("/notes/9").status)
                // More calls than the pool has connections: each call's session went back.
                repeat(10) { assertEquals("buy milk", client.get("/notes/1").bodyAsText()) }
            }
            assertEquals(0, engine.poolStatus!!.checkedOut)
        } finally {
            runBlocking { engine.dispose() }
        }
    }

    /** The standalone server: a real CIO server on a free port, called over HTTP. */
    @ParameterizedTest
    @MethodSource("dbs")
    fun theStandaloneServerAnswersOverHttp(db: TestDatabases.Db) {
        val engine = runBlocking { createAsyncEngine(db.url) { poolSize = 2 } }
        runBlocking { engine.begin { c -> noteRegistry.metadata().dropAll(c) } }
        val server = startNotesServer(engine, 0)
        try {
            val port = runBlocking { server.engine.resolvedConnectors().first().port }
            val http = java.net.http.HttpClient.newHttpClient()
            fun send(r: java.net.http.HttpRequest) =
                http.send(r, java.net.http.HttpResponse.BodyHandlers.ofString())
            val base = java.net.URI.create("http://127.0.0.1:$port/notes")
            val created =
                send(
                    java.net.http.HttpRequest.newBuilder(base)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("over http"))
                        .build()
                )
            assertEquals(201, created.statusCode())
            assertEquals("1", created.body())
            val listed = send(java.net.http.HttpRequest.newBuilder(base).GET().build())
            assertEquals("1: over http", listed.body())
            val missing =
                send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("$base/99")).build())
            assertEquals(404, missing.statusCode())
            // Each call's session is closed just after its response goes out.
            val deadline = System.nanoTime() + 10_000_000_000L
            while (engine.poolStatus!!.checkedOut != 0 && System.nanoTime() < deadline) {
                Thread.sleep(10)
            }
            assertEquals(0, engine.poolStatus!!.checkedOut)
        } finally {
            server.stop(100, 1_000)
            runBlocking { engine.dispose() }
        }
    }
}
