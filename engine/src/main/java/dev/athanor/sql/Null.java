package dev.athanor.sql;

/** The SQL {@code NULL} literal. */
final class Null<T> extends Expression<T> {
  private final SqlType<T> type;

  Null(SqlType<T> type) {
    this.type = type;
  }

  @Override
  public SqlType<T> type() {
    return type;
  }

  @Override
  void shape(StatementShape.Builder k) {
    // NULL is written as such, whatever its type.
  }

  @Override
  void compile(Compiler c) {
    c.append("NULL");
  }
}
