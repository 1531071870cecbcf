/**
 * The Java face of Athanor: {@link java.util.concurrent.CompletionStage} and Reactive Streams
 * {@link org.reactivestreams.Publisher} over the reactive core. Every method is one call to the
 * core; cancelling a returned {@link java.util.concurrent.CompletableFuture} cancels the operation,
 * rolls back what was not committed and returns the connection to the pool.
 */
@NullMarked
package dev.athanor.java;

import org.jspecify.annotations.NullMarked;
