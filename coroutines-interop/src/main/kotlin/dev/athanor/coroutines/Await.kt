package dev.athanor.coroutines

import java.util.concurrent.atomic.AtomicReference
import kotlin.coroutines.Continuation
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.suspendCoroutine
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.reactor.ReactorContext
import kotlinx.coroutines.suspendCancellableCoroutine
import org.reactivestreams.Subscription
import reactor.core.CoreSubscriber
import reactor.core.publisher.Mono
import reactor.core.publisher.Operators
import reactor.util.context.Context

/*
 * How the Kotlin face waits for the core's Monos. One subscriber object carries the coroutine's
 * Reactor context (kotlinx's awaitSingle adds a context-writing operator and a strict subscriber
 * around every Mono for that), and a Mono that completes while it is subscribed (a pooled connection
 * handed over at once, a close with nothing to wait for) returns without suspending. Cancelling the
 * caller cancels the subscription, as awaitSingle does.
 */

/** Awaits the one value of this Mono; fails with [NoSuchElementException] when it has none. */
internal suspend fun <T : Any> Mono<T>.awaitOne(): T =
    awaitOrNull() ?: throw NoSuchElementException("The operation completed without a value.")

/** Awaits the value of this Mono, or `null` when it completes without one. */
internal suspend fun <T : Any> Mono<T>.awaitOrNull(): T? {
    val a = MonoAwait<T>(reactorContext(currentCoroutineContext()))
    subscribe(a)
    if (a.isDone) return a.outcome()
    return suspendCancellableCoroutine { cont ->
        cont.invokeOnCancellation { a.cancel() }
        a.park(cont)
    }
}

/**
 * Awaits this Mono to its end even when the caller is cancelled meanwhile (clean-up that must
 * finish before the caller resumes: a close, a rollback).
 */
internal suspend fun <T : Any> Mono<T>.awaitNonCancellable(): T? {
    val a = MonoAwait<T>(reactorContext(currentCoroutineContext()))
    subscribe(a)
    if (a.isDone) return a.outcome()
    return suspendCoroutine { cont -> a.park(cont) }
}

private fun reactorContext(context: CoroutineContext): Context =
    context[ReactorContext]?.context ?: Context.empty()

/** The marker of a finished subscription. */
private val DONE = Any()

/**
 * Subscriber and outcome of one wait: the state is `null` while the Mono runs with nobody parked,
 * the parked continuation, or [DONE].
 */
private class MonoAwait<T : Any>(private val context: Context) :
    AtomicReference<Any?>(null), CoreSubscriber<T> {
    @Volatile private var subscription: Subscription? = null
    private var value: T? = null
    private var error: Throwable? = null

    val isDone: Boolean
        get() = get() === DONE

    override fun currentContext(): Context = context

    override fun onSubscribe(s: Subscription) {
        subscription = s
        s.request(Long.MAX_VALUE)
    }

    override fun onNext(t: T) {
        if (get() === DONE) return
        value = t
        finish()
    }

    override fun onError(t: Throwable) {
        if (get() === DONE) {
            Operators.onErrorDropped(t, context) // after the outcome: Reactor's hook hears of it
            return
        }
        error = t
        finish()
    }

    override fun onComplete() {
        finish()
    }

    fun cancel() {
        subscription?.cancel()
    }

    /** Parks [cont] until the outcome arrives, or resumes it now if it has. */
    fun park(cont: Continuation<T?>) {
        if (!compareAndSet(null, cont)) resume(cont)
    }

    /** The outcome, once [isDone]: the value, `null`, or the error thrown. */
    fun outcome(): T? {
        error?.let { throw it }
        return value
    }

    private fun finish() {
        val parked = getAndSet(DONE)
        if (parked is Continuation<*>) {
            @Suppress("UNCHECKED_CAST") resume(parked as Continuation<T?>)
        }
    }

    private fun resume(cont: Continuation<T?>) {
        val e = error
        cont.resumeWith(if (e != null) kotlin.Result.failure(e) else kotlin.Result.success(value))
    }
}
