package dev.athanor.engine;

import dev.athanor.engine.internal.Blocking;
import dev.athanor.sql.IsolationLevel;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * H2: the driver's {@code beginTransaction()}, on virtual threads (r2dbc-h2 runs statements on the
 * calling thread and waits there for row locks). r2dbc-h2 ignores the isolation given to {@code
 * beginTransaction}, so the session's level is set instead and put back before the connection
 * returns to the pool.
 */
final class H2TransactionControl extends TransactionControl {
  private volatile boolean isolationChanged;

  H2TransactionControl(Connection conn) {
    super(conn);
  }

  @Override
  @Nullable Scheduler scheduler() {
    return Blocking.scheduler();
  }

  @Override
  Mono<Void> begin(@Nullable IsolationLevel isolation, boolean implicit) {
    conn.echo(
        "BEGIN" + (implicit ? " (implicit)" : "") + (isolation != null ? " " + isolation : ""),
        null);
    io.r2dbc.spi.Connection raw = conn.raw();
    if (isolation == null) {
      return Mono.from(raw.beginTransaction());
    }
    isolationChanged = true;
    return conn.runRaw(sessionIsolationSql(isolation)).then(Mono.from(raw.beginTransaction()));
  }

  @Override
  boolean needsReset() {
    return isolationChanged;
  }

  @Override
  Mono<Void> resetSession() {
    if (!isolationChanged) {
      return Mono.empty();
    }
    return conn.runRaw(sessionIsolationSql(IsolationLevel.READ_COMMITTED));
  }

  @Override
  String isolationQuery() {
    return "SELECT ISOLATION_LEVEL FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID = SESSION_ID()";
  }

  private static String sessionIsolationSql(IsolationLevel level) {
    return "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL " + words(level);
  }
}
