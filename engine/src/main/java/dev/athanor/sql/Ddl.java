package dev.athanor.sql;

/** A DDL statement made by {@link MetaData}: CREATE or DROP of a table or index. */
public final class Ddl extends Statement {
  /** What the statement does. */
  public enum Kind {
    /** CREATE TABLE. */
    CREATE_TABLE,
    /** DROP TABLE. */
    DROP_TABLE,
    /** CREATE INDEX. */
    CREATE_INDEX
  }

  final Kind kind;
  final Table table;
  final Constraint.@org.jspecify.annotations.Nullable Index index;

  Ddl(Kind kind, Table table, Constraint.@org.jspecify.annotations.Nullable Index index) {
    super(StatementMeta.NONE);
    this.kind = kind;
    this.table = table;
    this.index = index;
  }

  /** {@code CREATE TABLE} for a table. */
  public static Ddl createTable(Table table) {
    return new Ddl(Kind.CREATE_TABLE, table, null);
  }

  /** {@code DROP TABLE} for a table. */
  public static Ddl dropTable(Table table) {
    return new Ddl(Kind.DROP_TABLE, table, null);
  }

  /** {@code CREATE [UNIQUE] INDEX} for one of a table's indexes. */
  public static Ddl createIndex(Table table, Constraint.Index index) {
    return new Ddl(Kind.CREATE_INDEX, table, index);
  }

  @Override
  void shape(StatementShape.Builder k) {
    k.token(this);
  }

  @Override
  void compile(Compiler c) {
    c.ddl(this);
  }
}
