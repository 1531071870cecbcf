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

  /** Lists the tables of the default schema. */
  public CompletionStage<List<String>> tableNames() {
    return core.tableNames().toFuture();
  }

  /** Tells whether a table exists. */
  public CompletionStage<Boolean> hasTable(String name) {
    return core.hasTable(name).toFuture();
  }

  /** Describes a table's columns. */
  public CompletionStage<List<Inspector.ColumnInfo>> columns(String table) {
    return core.columns(table).toFuture();
  }

  /** Lists a table's primary-key columns. */
  public CompletionStage<List<String>> primaryKey(String table) {
    return core.primaryKey(table).toFuture();
  }

  /** Lists a table's foreign keys. */
  public CompletionStage<List<Inspector.ForeignKeyInfo>> foreignKeys(String table) {
    return core.foreignKeys(table).toFuture();
  }

  /** Lists a table's indexes. */
  public CompletionStage<List<Inspector.IndexInfo>> indexes(String table) {
    return core.indexes(table).toFuture();
  }

  /** Reads a table's definition from the database into {@code metadata}. */
  public CompletionStage<Table> loadTable(MetaData metadata, String name) {
    return core.loadTable(metadata, name).toFuture();
  }

  @Override
  public String toString() {
    return "AsyncInspector";
  }
}
