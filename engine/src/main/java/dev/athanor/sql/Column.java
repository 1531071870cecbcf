package dev.athanor.sql;

import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A typed column of a {@link Table}. Declare it with {@link Sql#column(String, SqlType)}, set its
 * options, then pass it to {@link MetaData#table}; once part of a table it can no longer change.
 *
 * <pre>{@code
 * Table users = metadata.table("users",
 *     column("id", Types.INTEGER).primaryKey(),
 *     column("name", Types.string(30)).notNull().unique());
 * Column<String> name = users.c("name");
 * }</pre>
 *
 * @param <T> the Java type of the column's values
 */
public final class Column<T> extends Expression<T> implements TableElement {
  private final String name;
  private final SqlType<T> type;
  private @Nullable Table table;
  private boolean primaryKey;
  private @Nullable Boolean nullable;
  private boolean unique;
  private boolean index;
  private @Nullable Boolean autoincrement;
  private @Nullable Supplier<? extends @Nullable T> clientDefault;
  private @Nullable Expression<?> serverDefault;
  private @Nullable String references;
  private @Nullable String onDelete;

  Column(String name, SqlType<T> type) {
    if (name.isEmpty()) {
      throw new dev.athanor.error.ArgumentException("a column needs a name");
    }
    this.name = name;
    this.type = type;
  }

  private Column<T> open() {
    if (table != null) {
      throw new dev.athanor.error.InvalidRequestException(
          "Column " + table.name() + "." + name + " is already part of a table and cannot change.");
    }
    return this;
  }

  /** Makes this column (part of) the primary key; it becomes NOT NULL. */
  public Column<T> primaryKey() {
    open().primaryKey = true;
    return this;
  }

  /** Makes this column NOT NULL. */
  public Column<T> notNull() {
    open().nullable = false;
    return this;
  }

  /** Allows NULL explicitly (the default unless the column is in the primary key). */
  public Column<T> nullable() {
    open().nullable = true;
    return this;
  }

  /** Adds a UNIQUE constraint on this column alone. */
  public Column<T> unique() {
    open().unique = true;
    return this;
  }

  /** Adds an index on this column alone, named {@code ix_<table>_<column>}. */
  public Column<T> index() {
    open().index = true;
    return this;
  }

  /**
   * Sets whether the database generates values (an identity column). By default a single-column
   * integer primary key is autoincrementing and nothing else is.
   */
  public Column<T> autoincrement(boolean on) {
    open().autoincrement = on;
    return this;
  }

  /** Uses this value on INSERT when none is given. */
  public Column<T> defaultValue(T value) {
    open().clientDefault = () -> value;
    return this;
  }

  /** Calls this supplier on each INSERT that gives no value. */
  public Column<T> defaultValue(Supplier<? extends @Nullable T> supplier) {
    open().clientDefault = supplier;
    return this;
  }

  /**
   * Sets the DDL default: {@code DEFAULT expr}, e.g. {@code Func.now()} or {@code
   * Sql.literalSql("0")}.
   */
  public Column<T> serverDefault(Expression<?> expr) {
    open().serverDefault = expr;
    return this;
  }

  /** Adds a foreign key to {@code "table.column"}. */
  public Column<T> references(String tableDotColumn) {
    if (tableDotColumn.indexOf('.') < 1) {
      throw new dev.athanor.error.ArgumentException(
          "references() takes \"table.column\", not '" + tableDotColumn + "'");
    }
    open().references = tableDotColumn;
    return this;
  }

  /** Adds a foreign key to {@code "table.column"} with an ON DELETE action. */
  public Column<T> references(String tableDotColumn, String onDelete) {
    references(tableDotColumn);
    this.onDelete = onDelete;
    return this;
  }

  /** Adds a foreign key to another table's column. */
  public Column<T> references(Column<?> target) {
    return references(target.table().name() + "." + target.name());
  }

  void attach(Table t) {
    open().table = t;
  }

  /** Returns the column's name. */
  public String name() {
    return name;
  }

  /** Returns the table this column belongs to. */
  public Table table() {
    if (table == null) {
      throw new dev.athanor.error.InvalidRequestException(
          "Column '" + name + "' is not part of a table yet.");
    }
    return table;
  }

  @Override
  public SqlType<T> type() {
    return type;
  }

  @Override
  public String keyName() {
    return name;
  }

  /** Returns whether the column is part of the primary key. */
  public boolean isPrimaryKey() {
    return primaryKey;
  }

  /** Returns whether the column accepts NULL. */
  public boolean isNullable() {
    return nullable != null ? nullable : !primaryKey;
  }

  /** Returns whether the column has its own UNIQUE constraint. */
  public boolean isUnique() {
    return unique;
  }

  boolean hasIndex() {
    return index;
  }

  /** Returns whether the database generates this column's values. */
  public boolean isAutoincrement() {
    if (autoincrement != null) {
      return autoincrement;
    }
    return primaryKey
        && table != null
        && table.primaryKey().size() == 1
        && (type.javaType() == Integer.class || type.javaType() == Long.class);
  }

  @Nullable Supplier<? extends @Nullable T> clientDefault() {
    return clientDefault;
  }

  /** Returns whether a value is made on INSERT when none is given (by us or the database). */
  public boolean hasDefault() {
    return clientDefault != null || serverDefault != null || isAutoincrement();
  }

  /** Returns whether the database gives this column a value on INSERT when none is given. */
  public boolean hasServerDefault() {
    return serverDefault != null;
  }

  @Nullable Expression<?> serverDefault() {
    return serverDefault;
  }

  @Nullable String referencesTarget() {
    return references;
  }

  @Nullable String onDelete() {
    return onDelete;
  }

  @Override
  void shape(StatementShape.Builder k) {
    k.token(this);
  }

  @Override
  void compile(Compiler c) {
    if (c.qualifyColumns()) {
      c.ident(table().qualifier()).append(".");
    }
    c.ident(name);
  }

  @Override
  void collectFroms(Set<FromClause> into) {
    if (table != null) {
      into.add(table);
    }
  }
}
