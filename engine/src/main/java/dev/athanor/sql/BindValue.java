package dev.athanor.sql;

/** A value carried by the statement and sent as a bound parameter. */
final class BindValue<T> extends Expression<T> {
  final Object value;
  final SqlType<T> type;

  BindValue(Object value, SqlType<T> type) {
    this.value = value;
    this.type = type;
  }

  @Override
  public SqlType<T> type() {
    return type;
  }

  @Override
  void compile(Compiler c) {
    c.bindValue(value, type);
  }
}
