package dev.athanor.engine;

import dev.athanor.engine.internal.Blocking;
import dev.athanor.result.Result;
import dev.athanor.sql.Dialect;
import dev.athanor.sql.Executable;
import dev.athanor.sql.SyncSchemaConnection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A blocking view of a {@link Connection}, handed to {@code runSync} functions: the same connection
 * and transaction, with plain calls that wait. It refuses to block a non-blocking (event-loop)
 * thread. SQLAlchemy's sync {@code Connection} inside {@code run_sync}.
 */
public final class SyncConnection implements SyncSchemaConnection {
  private final Connection connection;

  SyncConnection(Connection connection) {
    this.connection = connection;
  }

  /** Returns a blocking view of a connection, for code on virtual threads. */
  public static SyncConnection of(Connection connection) {
    return new SyncConnection(connection);
  }

  /** Returns the reactive connection behind this view. */
  public Connection async() {
    return connection;
  }

  /** Returns the dialect of this connection's engine. */
  @Override
  public Dialect dialect() {
    return connection.dialect();
  }

  /** Runs a statement and returns its buffered result. */
  @Override
  public Result execute(Executable statement) {
    return Blocking.await(connection.execute(statement), "execute()");
  }

  /** Runs a statement with named parameters. */
  public Result execute(Executable statement, Map<String, ?> parameters) {
    return Blocking.await(connection.execute(statement, parameters), "execute()");
  }

  /** Runs a statement once per parameter set. */
  public Result execute(Executable statement, List<? extends Map<String, ?>> parameterSets) {
    return Blocking.await(connection.execute(statement, parameterSets), "execute()");
  }

  /** Runs driver-form SQL with positional parameters. */
  public Result execDriverSql(String sql, @Nullable Object... parameters) {
    return Blocking.await(connection.execDriverSql(sql, parameters), "execDriverSql()");
  }

  /** Returns the first column of the first row, or {@code null}. */
  public @Nullable Object scalar(Executable statement) {
    return Blocking.await(connection.scalar(statement), "scalar()");
  }

  /** Returns the first column of the first row, or {@code null}. */
  public @Nullable Object scalar(Executable statement, Map<String, ?> parameters) {
    return Blocking.await(connection.scalar(statement, parameters), "scalar()");
  }

  /** Begins the outermost transaction. */
  public Transaction begin() {
    return Blocking.await(connection.begin(), "begin()");
  }

  /** Begins a savepoint. */
  public Transaction beginNested() {
    return Blocking.await(connection.beginNested(), "beginNested()");
  }

  /** Commits a transaction or releases a savepoint. */
  public void commit(Transaction transaction) {
    Blocking.await(transaction.commit(), "commit()");
  }

  /** Rolls back a transaction or to a savepoint. */
  public void rollback(Transaction transaction) {
    Blocking.await(transaction.rollback(), "rollback()");
  }

  /** Commits the outermost transaction. */
  public void commit() {
    Blocking.await(connection.commit(), "commit()");
  }

  /** Rolls back the outermost transaction. */
  public void rollback() {
    Blocking.await(connection.rollback(), "rollback()");
  }

  /** Returns whether a transaction is in progress. */
  public boolean inTransaction() {
    return connection.inTransaction();
  }

  /** Returns an inspector over this connection whose calls block. */
  public Inspector.Sync inspector() {
    return Inspector.of(connection).blocking();
  }
}
