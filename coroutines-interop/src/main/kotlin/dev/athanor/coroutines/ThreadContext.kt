package dev.athanor.coroutines

import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.ThreadContextElement

/**
 * Runs [block] on the current (non-coroutine) thread with the `ThreadContextElement`s of [context]
 * applied, as the coroutine's dispatcher would apply them, and restores the thread's own state
 * afterwards. This is how `runSync`'s virtual thread sees the caller's MDC context or tracing span.
 */
internal fun <T> withThreadContext(context: CoroutineContext, block: () -> T): T {
    val elements = mutableListOf<ThreadContextElement<Any?>>()
    context.fold(Unit) { _, element ->
        @Suppress("UNCHECKED_CAST")
        if (element is ThreadContextElement<*>) elements += element as ThreadContextElement<Any?>
    }
    if (elements.isEmpty()) return block()
    val states = elements.map { it.updateThreadContext(context) }
    try {
        return block()
    } finally {
        for (i in elements.indices.reversed()) {
            elements[i].restoreThreadContext(context, states[i])
        }
    }
}
