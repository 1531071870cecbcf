package dev.athanor.engine;

import dev.athanor.sql.IsolationLevel;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * PostgreSQL: BEGIN is deferred and sent in the same flight as the transaction's first statement
 * (never, if it runs none). It goes through the driver's {@code beginTransaction()} (a bare simple
 * query) when the driver knows no transaction is open, and as SQL otherwise: the driver skips its
 * own BEGIN while it still believes the previous transaction open, which it does until the ROLLBACK
 * on release (not awaited) is answered.
 */
final class PostgresTransactionControl extends TransactionControl {
  private volatile @Nullable String pendingBegin;
  private volatile boolean pendingImplicit;

  PostgresTransactionControl(Connection conn) {
    super(conn);
  }

  private static final String PLAIN_BEGIN = "BEGIN";

  @Override
  Mono<Void> begin(@Nullable IsolationLevel isolation, boolean implicit) {
    pendingBegin =
        isolation == null ? PLAIN_BEGIN : PLAIN_BEGIN + " ISOLATION LEVEL " + words(isolation);
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
      io.r2dbc.spi.Connection raw = conn.raw();
      if (sql.length() == PLAIN_BEGIN.length() && isIdle(raw)) {
        // The driver's own BEGIN is a bare simple query: no SQL parsing, no result objects. It
        // sends it only when it knows no transaction is open, which it does now (nothing but this
        // connection's own next statements could change that).
        return Mono.from(raw.beginTransaction());
      }
      return controlSql(sql);
    });
  }

  /**
   * Whether the driver knows no transaction is open (the last ROLLBACK, which a release does not
   * wait for, has been answered).
   */
  private static boolean isIdle(io.r2dbc.spi.Connection raw) {
    try {
      return raw.isAutoCommit();
    } catch (RuntimeException e) {
      return false;
    }
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
