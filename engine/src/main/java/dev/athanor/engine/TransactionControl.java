package dev.athanor.engine;

import dev.athanor.sql.Dialect;
import dev.athanor.sql.IsolationLevel;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * How one connection begins and ends its outermost transaction on its driver: the part of
 * transaction handling that differs between databases ({@link PostgresTransactionControl}, {@link
 * H2TransactionControl}). {@link Connection} keeps the transaction stack, the events and the
 * errors; a control sends (or defers) the statements. One instance per connection: it may hold
 * state, such as a BEGIN not sent yet.
 */
abstract class TransactionControl {
  final Connection conn;

  TransactionControl(Connection conn) {
    this.conn = conn;
  }

  /** Returns the control for a connection of a dialect. */
  static TransactionControl of(Connection conn, Dialect dialect) {
    return dialect.isPostgres()
        ? new PostgresTransactionControl(conn)
        : new H2TransactionControl(conn);
  }

  /**
   * Returns the scheduler the connection's operations run on, or {@code null} for the caller's
   * thread (a non-blocking driver).
   */
  @Nullable Scheduler scheduler() {
    return null;
  }

  /**
   * Begins the outermost transaction at {@code isolation} ({@code null}: the database default;
   * never {@code AUTOCOMMIT}). Whatever is deferred is recorded before this returns, so a caller
   * that does not subscribe (a statement that carries the BEGIN) still finds it.
   */
  abstract Mono<Void> begin(@Nullable IsolationLevel isolation, boolean implicit);

  /** Returns whether statements carry a deferred BEGIN in the same flight. */
  boolean pipelinesBegin() {
    return false;
  }

  /** Returns the BEGIN not sent yet, or {@code null}. */
  @Nullable String pendingBegin() {
    return null;
  }

  /** Puts back a deferred BEGIN taken by a statement that must run again. */
  void restorePendingBegin(String sql) {}

  /** Sends the deferred BEGIN if one is pending. */
  Mono<Void> sendPendingBegin() {
    return Mono.empty();
  }

  /** Forgets a deferred BEGIN; returns whether one was pending (then nothing ran on the server). */
  boolean dropPendingBegin() {
    return false;
  }

  /**
   * Ends the outermost transaction with the driver's own commit or rollback, which is lighter than
   * a statement and skips the SQL when the driver believes no transaction is open; that is right
   * here, as this connection's own statements have run since any earlier ROLLBACK was answered.
   */
  Mono<Void> end(boolean commit) {
    String sql = commit ? "COMMIT" : "ROLLBACK";
    conn.echo(sql, null);
    io.r2dbc.spi.Connection raw = conn.raw();
    return Mono.from(commit ? raw.commitTransaction() : raw.rollbackTransaction())
        .onErrorResume(e -> conn.fail(e, sql, null));
  }

  /**
   * Rolls back before the connection returns to the pool; a ROLLBACK that fails means a broken
   * connection, which is closed rather than reused. Returns {@code null} when the release need not
   * wait for it.
   */
  @Nullable Mono<Void> rollbackOnRelease() {
    return Mono.from(conn.raw().rollbackTransaction()).onErrorResume(e -> conn.closeUnderlying());
  }

  /** Returns whether session state must be put back before the connection returns to the pool. */
  boolean needsReset() {
    return false;
  }

  /** Puts back session state a transaction changed ({@link #needsReset()}). */
  Mono<Void> resetSession() {
    return Mono.empty();
  }

  /** Returns the query that asks the server for the isolation level in force. */
  abstract String isolationQuery();

  /** Asks the server for the isolation level in force (a deferred BEGIN was sent already). */
  final Mono<IsolationLevel> currentIsolation() {
    String sql = isolationQuery();
    return Flux.from(conn.raw().createStatement(sql).execute())
        .concatMap(r -> r.map((row, meta) -> String.valueOf(row.get(0))))
        .next()
        .map(IsolationLevel::parse)
        .onErrorResume(
            e -> !(e instanceof dev.athanor.error.AthanorException), e -> conn.fail(e, sql, null));
  }

  /** Runs transaction control SQL, unlogged and untranslated. */
  final Mono<Void> controlSql(String sql) {
    return Flux.from(conn.raw().createStatement(sql).execute())
        .concatMap(io.r2dbc.spi.Result::getRowsUpdated)
        .then();
  }

  static String words(IsolationLevel level) {
    return level.name().replace('_', ' ');
  }
}
