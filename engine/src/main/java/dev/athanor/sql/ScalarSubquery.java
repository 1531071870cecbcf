package dev.athanor.sql;

/** A SELECT of one column used as a value: {@code (SELECT ...)}. */
final class ScalarSubquery<T> extends Expression<T> {
  private final Select select;
  private final SqlType<T> type;

  ScalarSubquery(Select select, SqlType<T> type) {
    this.select = select;
    this.type = type;
  }

  @Override
  public SqlType<T> type() {
    return type;
  }

  @Override
  void shape(StatementShape.Builder k) {
    k.node(select);
  }

  @Override
  void compile(Compiler c) {
    c.append("(");
    c.nested(select);
    c.append(")");
  }
}
