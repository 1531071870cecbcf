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
    CREATE_INDEX,
    /** ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY: a key in a cycle, added once both exist. */
    ADD_FOREIGN_KEY,
    /** ALTER TABLE ... DROP CONSTRAINT IF EXISTS: a key in a cycle, dropped before its table. */
    DROP_FOREIGN_KEY
  }

  final Kind kind;
  final Table table;
  final Constraint.@org.jspecify.annotations.Nullable Index index;
  final Constraint.@org.jspecify.annotations.Nullable ForeignKey foreignKey;

  /** For CREATE TABLE: foreign keys left out, added later by {@link Kind#ADD_FOREIGN_KEY}. */
  final java.util.Set<Constraint.ForeignKey> omitted;

  Ddl(Kind kind, Table table, Constraint.@org.jspecify.annotations.Nullable Index index) {
    this(kind, table, index, null, java.util.Set.of());
  }

  private Ddl(
      Kind kind,
      Table table,
      Constraint.@org.jspecify.annotations.Nullable Index index,
      Constraint.@org.jspecify.annotations.Nullable ForeignKey foreignKey,
      java.util.Set<Constraint.ForeignKey> omitted) {
    super(StatementMeta.NONE);
    this.kind = kind;
    this.table = table;
    this.index = index;
    this.foreignKey = foreignKey;
    this.omitted = omitted;
  }

  /** {@code CREATE TABLE} without some of its foreign keys (they are added once both exist). */
  static Ddl createTable(Table table, java.util.Set<Constraint.ForeignKey> without) {
    return new Ddl(Kind.CREATE_TABLE, table, null, null, java.util.Set.copyOf(without));
  }

  /**
   * {@code ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY} for one of a table's foreign keys, named
   * by {@link #foreignKeyName}.
   */
  public static Ddl addForeignKey(Table table, Constraint.ForeignKey key) {
    return new Ddl(Kind.ADD_FOREIGN_KEY, table, null, key, java.util.Set.of());
  }

  /** {@code ALTER TABLE ... DROP CONSTRAINT IF EXISTS} for one of a table's foreign keys. */
  public static Ddl dropForeignKey(Table table, Constraint.ForeignKey key) {
    return new Ddl(Kind.DROP_FOREIGN_KEY, table, null, key, java.util.Set.of());
  }

  /**
   * The name of a foreign key: its own, or {@code <table>_<columns>_fkey} (PostgreSQL's own choice
   * for an unnamed key), so that the key added after its table can be dropped by name.
   */
  public static String foreignKeyName(Table table, Constraint.ForeignKey key) {
    String name = key.name();
    return name != null ? name : table.name() + "_" + String.join("_", key.columns()) + "_fkey";
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
