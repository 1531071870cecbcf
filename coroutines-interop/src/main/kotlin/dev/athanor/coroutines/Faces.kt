package dev.athanor.coroutines

import dev.athanor.engine.Connection
import dev.athanor.engine.Engine
import dev.athanor.engine.Transaction
import dev.athanor.result.StreamingResult

/** Returns the Kotlin face of a core engine; the same engine always gives the same face. */
public fun Engine.asAsync(): AsyncEngine = face(AsyncEngine::class.java) { AsyncEngine(this) }

/** Returns the Kotlin face of a core connection; the same connection always gives the same face. */
public fun Connection.asAsync(): AsyncConnection =
    face(AsyncConnection::class.java) { AsyncConnection(this) }

/** Returns the Kotlin face of a core transaction. */
public fun Transaction.asAsync(): AsyncTransaction =
    face(AsyncTransaction::class.java) { AsyncTransaction(this) }

/** Returns the Kotlin face of a core streaming result. */
public fun StreamingResult.asAsync(): AsyncResult = AsyncResult(this)
