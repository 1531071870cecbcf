package dev.athanor.engine;

/**
 * Receives engine and connection events. Register one on an engine with {@code
 * engine.events().add(listener)}, or on every engine with {@link EngineEvents#addGlobal}. Every
 * method has an empty default, so implement only what you need.
 *
 * <p>Listeners run on the thread that drives the operation, often a driver event loop: they must
 * not block. An exception thrown by a listener fails the operation.
 */
public interface EngineListener {
  /** A new driver connection was opened (not a checkout of a pooled one). */
  default void onConnect(io.r2dbc.spi.Connection driverConnection) {}

  /** A connection was taken from the pool (or opened, without a pool) for a {@link Connection}. */
  default void onCheckout(Connection connection) {}

  /** A connection went back to the pool (or was closed, without a pool). */
  default void onCheckin(Connection connection) {}

  /** A statement is about to run. */
  default void beforeExecute(ExecuteContext context) {}

  /** A statement ran; {@link ExecuteContext#rowcount()} is set. */
  default void afterExecute(ExecuteContext context) {}

  /** A statement failed; {@link ExecuteContext#error()} is the translated error. */
  default void onError(ExecuteContext context) {}
}
