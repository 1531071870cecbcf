package dev.athanor.sql;

/** {@code EXISTS (SELECT ...)}. */
final class Exists extends Expression<Boolean> {
  private final Select select;

  Exists(Select select) {
    this.select = select;
  }

  @Override
  public SqlType<Boolean> type() {
    return Types.BOOLEAN;
  }

  @Override
  void shape(StatementShape.Builder k) {
    k.node(select);
  }

  @Override
  void compile(Compiler c) {
    c.append("EXISTS (");
    c.nested(select);
    c.append(")");
  }
}
