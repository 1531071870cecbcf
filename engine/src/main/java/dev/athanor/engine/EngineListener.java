package dev.athanor.engine;

import org.jspecify.annotations.Nullable;

/**
 * Receives engine and connection events. Register one on an engine with {@code
 * engine.events().add(listener)}, on every engine with {@link EngineEvents#addGlobal}, or on one
 * connection with {@code connection.events().add(listener)} (gone when that connection closes).
 * Every method has an empty default, so implement only what you need.
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

  /**
   * A transaction began, explicitly or by the first statement (on PostgreSQL the {@code BEGIN}
   * itself travels with that statement).
   */
  default void onBegin(Connection connection) {}

  /** The outermost transaction is about to commit. */
  default void onCommit(Connection connection) {}

  /**
   * The outermost transaction is about to roll back (explicitly, or when the connection closes).
   */
  default void onRollback(Connection connection) {}

  /** A SAVEPOINT is about to be set. */
  default void onSavepoint(Connection connection, String name) {}

  /** A SAVEPOINT is about to be released. */
  default void onReleaseSavepoint(Connection connection, String name) {}

  /** The transaction is about to roll back to a SAVEPOINT. */
  default void onRollbackToSavepoint(Connection connection, String name) {}

  /**
   * The server sent a notice or warning (PostgreSQL's {@code NOTICE}, {@code WARNING}); the
   * statement goes on. It is also logged by logger {@code dev.athanor.engine.notice}.
   */
  default void onNotice(Connection connection, String message, @Nullable String sqlState) {}
}
