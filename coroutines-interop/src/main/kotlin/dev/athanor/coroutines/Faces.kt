package dev.athanor.coroutines

import dev.athanor.engine.Connection
import dev.athanor.engine.Engine
import dev.athanor.engine.Transaction
import dev.athanor.engine.internal.CoreFaces
import dev.athanor.result.StreamingResult
import dev.athanor.session.Session
import dev.athanor.session.SessionTransaction

/** Returns the Kotlin face of a core engine; the same engine always gives the same face. */
public fun Engine.asAsync(): AsyncEngine =
    CoreFaces.of(this, AsyncEngine::class.java) { AsyncEngine(this) }

/** Returns the Kotlin face of a core connection; the same connection always gives the same face. */
public fun Connection.asAsync(): AsyncConnection =
    CoreFaces.of(this, AsyncConnection::class.java) { AsyncConnection(this) }

/** Returns the Kotlin face of a core transaction. */
public fun Transaction.asAsync(): AsyncTransaction =
    CoreFaces.of(this, AsyncTransaction::class.java) { AsyncTransaction(this) }

/** Returns the Kotlin face of a core streaming result. */
public fun StreamingResult.asAsync(): AsyncResult = AsyncResult(this)

/** Returns the Kotlin face of a core session; the same session always gives the same face. */
public fun Session.asAsync(): AsyncSession =
    CoreFaces.of(this, AsyncSession::class.java) { AsyncSession(this) }

/** Returns the Kotlin face of a core session transaction. */
public fun SessionTransaction.asAsync(): AsyncSessionTransaction =
    CoreFaces.of(this, AsyncSessionTransaction::class.java) { AsyncSessionTransaction(this) }
