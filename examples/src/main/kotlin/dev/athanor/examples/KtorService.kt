package dev.athanor.examples

import dev.athanor.coroutines.AsyncEngine
import dev.athanor.coroutines.AsyncScopedSession
import dev.athanor.coroutines.asc
import dev.athanor.coroutines.asyncSessionmaker
import dev.athanor.coroutines.get
import dev.athanor.coroutines.select
import dev.athanor.session.Column
import dev.athanor.session.Entity
import dev.athanor.session.Id
import dev.athanor.session.Registry
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.Application
import io.ktor.server.application.ApplicationCallPipeline
import io.ktor.server.request.receiveText
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.post
import io.ktor.server.routing.routing

/** A note of the Ktor service. */
@Entity(table = "ktor_notes")
class Note(
    @Id var id: Long? = null,
    @Column(length = 200, nullable = false) var text: String = "",
)

/** The service's mappings, made once per JVM. */
val noteRegistry: Registry = Registry().apply { map(Note::class.java) }

/**
 * A small Ktor service over Athanor: one session per call from an [AsyncScopedSession] (its default
 * scope is the call's coroutine, so no handler passes a session around), committed by the handler
 * that writes and closed when the response is sent, whatever happened.
 *
 * `POST /notes` (the body is the text) adds a note and answers its id; `GET /notes` lists them;
 * `GET /notes/{id}` answers one, or 404.
 */
fun Application.notesService(engine: AsyncEngine) {
    val db = AsyncScopedSession(asyncSessionmaker(engine))
    // Every call's session is closed (rolled back if not committed) once the call was handled,
    // in the call's own coroutine, whatever happened.
    intercept(ApplicationCallPipeline.Call) {
        try {
            proceed()
        } finally {
            db.remove()
        }
    }
    routing {
        post("/notes") {
            val note = Note(text = call.receiveText())
            val session = db()
            session.add(note)
            session.commit() // the key comes back in the INSERT
            call.respondText(note.id.toString(), status = HttpStatusCode.Created)
        }
        get("/notes") {
            val notes = db().scalars<Note>(select<Note>().orderBy(Note::id.asc())).all()
            call.respondText(notes.joinToString("\n") { "${it!!.id}: ${it.text}" })
        }
        get("/notes/{id}") {
            val id = call.parameters["id"]?.toLongOrNull()
            val note = id?.let { db().get<Note>(it) }
            if (note == null) {
                call.respondText(
                    "no note ${call.parameters["id"]}",
                    status = HttpStatusCode.NotFound,
                )
            } else {
                call.respondText(note.text)
            }
        }
    }
}
