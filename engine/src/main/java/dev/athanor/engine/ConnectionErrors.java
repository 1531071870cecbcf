package dev.athanor.engine;

import dev.athanor.error.InvalidRequestException;
import java.util.List;

/** The errors a {@link Connection} raises of its own, and how it reads the driver's. */
final class ConnectionErrors {
  private ConnectionErrors() {}

  static InvalidRequestException notStarted(String op) {
    return new InvalidRequestException(
        "This connection has not been started, so "
            + op
            + " cannot run; call start() first, "
            + "or get a started connection from engine.connect().");
  }

  /**
   * Returns whether the first statement of a transaction failed as "transaction aborted": with
   * nothing before it, that is r2dbc-postgresql re-preparing a statement whose cached plan went
   * stale (SQLSTATE 0A000 "cached plan must not change result type") inside the transaction the
   * stale plan had already failed.
   */
  static boolean isStalePlan(Throwable e) {
    return e instanceof dev.athanor.error.DatabaseException d && "25P02".equals(d.sqlState());
  }

  static InvalidRequestException invalidatedError(String op) {
    return new InvalidRequestException(
        "This connection was invalidated (its driver connection was lost or discarded), so "
            + op
            + "() cannot run; nothing of its transaction was committed. Roll back or close it, "
            + "and get a new connection from the engine.");
  }

  /**
   * Says what "transaction aborted" means when no earlier statement of the transaction failed: the
   * driver met a stale cached plan and re-prepared the statement inside the failed transaction.
   */
  static Throwable withStalePlanHint(Throwable t) {
    dev.athanor.error.DatabaseException d = (dev.athanor.error.DatabaseException) t;
    return new dev.athanor.error.OperationalException(
        d.getMessage()
            + "\nNo earlier statement of this transaction failed through Athanor: the server's "
            + "cached plan for this statement went stale (a table it reads changed, e.g. ALTER "
            + "TABLE ... TYPE by another connection), and the driver prepared it again inside the "
            + "transaction that the stale plan had failed. Roll back and run the transaction again.",
        d,
        d.sql(),
        d.parameters(),
        d.sqlState(),
        d.constraintName(),
        d.connectionInvalidated());
  }

  /**
   * Picks the error to report when the pipelined BEGIN and the statement both failed: the lost
   * connection if that is what happened, else the first failure (the statement's error is then only
   * a consequence of it).
   */
  static Throwable firstOf(Throwable multiple) {
    List<Throwable> all = reactor.core.Exceptions.unwrapMultiple(multiple);
    for (Throwable t : all) {
      if (t instanceof dev.athanor.error.DisconnectException) {
        return t;
      }
    }
    return all.isEmpty() ? multiple : all.get(0);
  }
}
