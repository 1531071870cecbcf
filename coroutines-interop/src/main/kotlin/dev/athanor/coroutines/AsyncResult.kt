package dev.athanor.coroutines

import dev.athanor.result.ColumnKey
import dev.athanor.result.FrozenResult
import dev.athanor.result.Row
import dev.athanor.result.RowMapping
import dev.athanor.result.StreamingMappingResult
import dev.athanor.result.StreamingResult
import dev.athanor.result.StreamingScalarResult
import dev.athanor.result.StreamingView
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.buffer
import kotlinx.coroutines.flow.transform
import kotlinx.coroutines.reactive.asFlow

/**
 * The fetches shared by [AsyncResult] and its views: rows come from a server-side cursor as they
 * are fetched. Filters are plain calls; fetches suspend. [first], [one], [oneOrNone] and cancelling
 * [asFlow] close the stream.
 *
 * Every suspend function is cancellable; cancelling closes the stream and its cursor.
 */
public sealed class AsyncResultView<E>(private val view: StreamingView<E & Any>) {
    /**
     * Fetches every remaining element.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`; the rows already asked for are still read, and the stream ends with
     * its connection or transaction if it is not closed before.
     */
    @Suppress("UNCHECKED_CAST") public suspend fun all(): List<E> = view.all().awaitOne() as List<E>

    /**
     * Same as [all].
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`; the rows already asked for are still read, and the stream ends with
     * its connection or transaction if it is not closed before.
     */
    public suspend fun fetchall(): List<E> = all()

    /**
     * Fetches the next element, or null at the end.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`; the rows already asked for are still read, and the stream ends with
     * its connection or transaction if it is not closed before.
     */
    public suspend fun fetchone(): E? = view.fetchone().awaitOrNull()

    /**
     * Fetches up to [size] next elements; empty at the end.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`; the rows already asked for are still read, and the stream ends with
     * its connection or transaction if it is not closed before.
     */
    @Suppress("UNCHECKED_CAST")
    public suspend fun fetchmany(size: Int): List<E> = view.fetchmany(size).awaitOne() as List<E>

    /**
     * Fetches the first element (or null) and closes the stream.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`; the rows already asked for are still read, and the stream ends with
     * its connection or transaction if it is not closed before.
     */
    public suspend fun first(): E? = view.first().awaitOrNull()

    /**
     * Fetches the only element and closes the stream.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`; the rows already asked for are still read, and the stream ends with
     * its connection or transaction if it is not closed before.
     *
     * @throws dev.athanor.error.NoResultFoundException if there is none
     * @throws dev.athanor.error.MultipleResultsFoundException if there are more
     */
    @Suppress("UNCHECKED_CAST") public suspend fun one(): E = view.one().awaitOrNull() as E

    /**
     * Fetches the only element, or null without one, and closes the stream.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`; the rows already asked for are still read, and the stream ends with
     * its connection or transaction if it is not closed before.
     */
    public suspend fun oneOrNone(): E? = view.oneOrNone().awaitOrNull()

    /**
     * The remaining elements in lists of up to [size], fetched as the flow is collected: the next
     * list is read while the collector works on one, and no further.
     */
    @Suppress("UNCHECKED_CAST")
    public fun partitions(size: Int): Flow<List<E>> =
        view.partitions(size).asFlow().buffer(Channel.RENDEZVOUS) as Flow<List<E>>

    /**
     * The remaining elements in lists of the yield-per size ([batchSize]), fetched as the flow is
     * collected: the next list is read while the collector works on one, and no further.
     */
    @Suppress("UNCHECKED_CAST")
    public fun partitions(): Flow<List<E>> =
        view.partitions().asFlow().buffer(Channel.RENDEZVOUS) as Flow<List<E>>

    /** How many elements each fetch from the cursor asks for (the yield-per size). */
    public val batchSize: Int
        get() = view.batchSize()

    /**
     * The remaining elements as a [Flow], read from the database as fast as it is collected
     * (backpressure): one batch of rows is fetched per suspension. Cancelling the collection, or an
     * exception in the collector, closes the stream. Null scalars are skipped, as in
     * [StreamingView.rows]; use [partitions] to see them.
     */
    public fun asFlow(): Flow<E & Any> =
        // The core's batch publisher, asked for one batch at a time: it closes the stream when
        // the collection is cancelled or its collector throws.
        view.partitions().asFlow().buffer(Channel.RENDEZVOUS).transform { batch ->
            for (e in batch) if (e != null) emit(e)
        }

    /** The column names. */
    public fun keys(): List<String> = view.keys()

    /**
     * Closes the stream and its server-side cursor.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`; the rows already asked for are still read, and the stream ends with
     * its connection or transaction if it is not closed before.
     */
    public suspend fun close() {
        view.close().awaitOrNull()
    }

    /** Whether the stream was closed or read to its end. */
    public val isClosed: Boolean
        get() = view.isClosed
}

/** The Kotlin face of a [StreamingResult] (SQLAlchemy's `AsyncResult`). */
public class AsyncResult
internal constructor(
    /** The reactive core result. */
    public val core: StreamingResult
) : AsyncResultView<Row>(core) {
    /** A view that drops repeated rows. */
    public fun unique(): AsyncResult = AsyncResult(core.unique())

    /** A view that drops rows whose [key] equals that of a row handed out before. */
    public fun unique(key: (Row) -> Any?): AsyncResult = AsyncResult(core.unique(key))

    /**
     * A stream whose rows [processor] makes of these, one fetched batch at a time (see
     * [StreamingResult.process]).
     */
    public fun process(processor: dev.athanor.result.RowProcessor): AsyncResult =
        AsyncResult(core.process(processor))

    /** A view that fetches [n] rows at a time over the same cursor. */
    public fun yieldPer(n: Int): AsyncResult = AsyncResult(core.yieldPer(n))

    /** A view with only these columns (names, positions or column objects). */
    public fun columns(vararg keys: Any): AsyncResult = AsyncResult(core.columns(*keys))

    /** A view of the first column. */
    public fun <T : Any> scalars(): AsyncScalarResult<T> = AsyncScalarResult(core.scalars<T>())

    /** A view of one column, by name, position or object. */
    public fun <T : Any> scalars(key: Any): AsyncScalarResult<T> =
        AsyncScalarResult(core.scalars<T>(key))

    /** A view of one column, typed by the column object. */
    public fun <T : Any> scalars(column: ColumnKey<T>): AsyncScalarResult<T> =
        AsyncScalarResult(core.scalars(column))

    /** A view of rows as maps keyed by column name. */
    public fun mappings(): AsyncMappingResult = AsyncMappingResult(core.mappings())

    /**
     * The first column of the first row (or null); closes the stream.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`; the rows already asked for are still read, and the stream ends with
     * its connection or transaction if it is not closed before.
     */
    public suspend fun scalar(): Any? = core.scalar().awaitOrNull()

    /**
     * The first column of the only row; closes the stream.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`; the rows already asked for are still read, and the stream ends with
     * its connection or transaction if it is not closed before.
     */
    public suspend fun scalarOne(): Any? = core.scalarOne().awaitOrNull()

    /**
     * The first column of the only row, or null without one; closes the stream.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`; the rows already asked for are still read, and the stream ends with
     * its connection or transaction if it is not closed before.
     */
    public suspend fun scalarOneOrNone(): Any? = core.scalarOneOrNone().awaitOrNull()

    /**
     * Reads the remaining rows into a [FrozenResult].
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`; the rows already asked for are still read, and the stream ends with
     * its connection or transaction if it is not closed before.
     */
    public suspend fun freeze(): FrozenResult = core.freeze().awaitOne()
}

/** The Kotlin face of a [StreamingScalarResult]: one column of each row. */
public class AsyncScalarResult<T : Any>
internal constructor(
    /** The reactive core result. */
    public val core: StreamingScalarResult<T>
) : AsyncResultView<T>(core) {
    /** A view that drops repeated values. */
    public fun unique(): AsyncScalarResult<T> = AsyncScalarResult(core.unique())

    /** A view that drops values whose [key] equals that of a value handed out before. */
    public fun unique(key: (T) -> Any?): AsyncScalarResult<T> = AsyncScalarResult(core.unique(key))

    /** A view that fetches [n] values at a time over the same cursor. */
    public fun yieldPer(n: Int): AsyncScalarResult<T> = AsyncScalarResult(core.yieldPer(n))
}

/** The Kotlin face of a [StreamingMappingResult]: rows as maps. */
public class AsyncMappingResult
internal constructor(
    /** The reactive core result. */
    public val core: StreamingMappingResult
) : AsyncResultView<RowMapping>(core) {
    /** A view that drops repeated rows. */
    public fun unique(): AsyncMappingResult = AsyncMappingResult(core.unique())

    /** A view that drops rows whose [key] equals that of a row handed out before. */
    public fun unique(key: (RowMapping) -> Any?): AsyncMappingResult =
        AsyncMappingResult(core.unique(key))

    /** A view that fetches [n] rows at a time over the same cursor. */
    public fun yieldPer(n: Int): AsyncMappingResult = AsyncMappingResult(core.yieldPer(n))
}
