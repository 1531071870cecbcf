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

  /**
   * Runs IO on each new driver connection before it is used (for example {@code SET search_path}),
   * after {@link #onConnect}: the engine awaits the returned publisher, listener after listener.
   * Its error fails the connect with that error, and the driver connection is closed.
   */
  default org.reactivestreams.Publisher<Void> onConnectAsync(
      io.r2dbc.spi.Connection driverConnection) {
    return reactor.core.publisher.Mono.empty();
  }

  /**
   * Runs IO each time a connection is checked out, after {@link #onCheckout} and before the caller
   * gets it: the engine awaits the returned publisher, listener after listener. Statements run on
   * {@code connection} here begin its transaction as the caller's would; for a session setting
   * outside any transaction, use {@link Connection#getRawConnection()}. An error fails the checkout
   * with that error and returns the connection to the pool.
   */
  default org.reactivestreams.Publisher<Void> onCheckoutAsync(Connection connection) {
    return reactor.core.publisher.Mono.empty();
  }

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
