package dev.athanor.java;

import dev.athanor.engine.Inspector;
import dev.athanor.sql.MetaData;
import dev.athanor.sql.Table;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** The Java face of an {@link Inspector}: the database's schema, over one connection. */
public final class AsyncInspector {
  private final Inspector core;

  AsyncInspector(Inspector core) {
    this.core = core;
  }

  /** Returns the reactive core inspector. */
  public Inspector core() {
    return core;
  }

  /**
   * Lists the tables of the default schema.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<List<String>> tableNames() {
    return core.tableNames().toFuture();
  }

  /**
   * Tells whether a table exists.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<Boolean> hasTable(String name) {
    return core.hasTable(name).toFuture();
  }

  /**
   * Describes a table's columns.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<List<Inspector.ColumnInfo>> columns(String table) {
    return core.columns(table).toFuture();
  }

  /**
   * Lists a table's primary-key columns.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<List<String>> primaryKey(String table) {
    return core.primaryKey(table).toFuture();
  }

  /**
   * Lists a table's foreign keys.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<List<Inspector.ForeignKeyInfo>> foreignKeys(String table) {
    return core.foreignKeys(table).toFuture();
  }

  /**
   * Lists a table's indexes.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<List<Inspector.IndexInfo>> indexes(String table) {
    return core.indexes(table).toFuture();
  }

  /**
   * Reads a table's definition from the database into {@code metadata}.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<Table> loadTable(MetaData metadata, String name) {
    return core.loadTable(metadata, name).toFuture();
  }

  @Override
  public String toString() {
    return "AsyncInspector";
  }
}
