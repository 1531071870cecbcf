package dev.athanor.engine;

import dev.athanor.sql.IsolationLevel;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * PostgreSQL: BEGIN is deferred and sent in the same flight as the transaction's first statement
 * (never, if it runs none), as SQL rather than through the driver's {@code beginTransaction()},
 * which skips BEGIN while the driver still believes the previous transaction open (the ROLLBACK on
 * release is not awaited).
 */
final class PostgresTransactionControl extends TransactionControl {
  private volatile @Nullable String pendingBegin;
  private volatile boolean pendingImplicit;

  PostgresTransactionControl(Connection conn) {
    super(conn);
  }

  @Override
  Mono<Void> begin(@Nullable IsolationLevel isolation, boolean implicit) {
    pendingBegin = "BEGIN" + (isolation != null ? " ISOLATION LEVEL " + words(isolation) : "");
    pendingImplicit = implicit;
    return Mono.empty();
  }

  @Override
  boolean pipelinesBegin() {
    return true;
  }

  @Override
  @Nullable String pendingBegin() {
    return pendingBegin;
  }

  @Override
  void restorePendingBegin(String sql) {
    pendingBegin = sql;
  }

  @Override
  Mono<Void> sendPendingBegin() {
    return Mono.defer(() -> {
      String sql = pendingBegin;
      if (sql == null) {
        return Mono.empty();
      }
      pendingBegin = null;
      conn.echo(sql + (pendingImplicit ? " (implicit)" : ""), null);
      return controlSql(sql);
    });
  }

  @Override
  boolean dropPendingBegin() {
    boolean was = pendingBegin != null;
    pendingBegin = null;
    return was;
  }

  /**
   * Not awaited on a pooled connection: the driver queues whatever the connection's next user sends
   * behind this ROLLBACK, so the connection is clean for it, a round trip sooner.
   */
  @Override
  @Nullable Mono<Void> rollbackOnRelease() {
    if (!conn.engine().options().pooled()) {
      return super.rollbackOnRelease();
    }
    io.r2dbc.spi.Connection raw = conn.raw();
    conn.engine()
        .runInBackground(
            Mono.from(raw.rollbackTransaction())
                .onErrorResume(e -> Connection.closeUnderlying(raw)));
    return null;
  }

  @Override
  String isolationQuery() {
    return "SHOW transaction_isolation";
  }
}
