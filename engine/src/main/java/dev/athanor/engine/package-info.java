/**
 * The reactive core of the engine: {@link dev.athanor.engine.Engine}, {@link
 * dev.athanor.engine.Connection}, {@link dev.athanor.engine.Transaction}, their options and events,
 * and {@link dev.athanor.engine.SyncConnection}, the blocking view used by {@code runSync}. Every
 * method that touches the database returns a {@code Mono} or {@code Flux}; the Kotlin and Java
 * faces wrap these one call each.
 */
@NullMarked
package dev.athanor.engine;

import org.jspecify.annotations.NullMarked;
