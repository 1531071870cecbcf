package dev.athanor.sql;

/** A value carried by the statement and sent as a bound parameter. */
final class BindValue<T> extends Expression<T> {
  final Object value;
  final SqlType<T> type;

  BindValue(Object value, SqlType<T> type) {
    this.value = value;
    this.type = type;
  }

  /** A row count for LIMIT or OFFSET, bound like any other value. */
  static BindValue<Long> count(long n) {
    return new BindValue<>(n, Types.BIGINT);
  }

  @Override
  public SqlType<T> type() {
    return type;
  }

  @Override
  void shape(StatementShape.Builder k) {
    k.bind(this);
  }

  @Override
  void compile(Compiler c) {
    c.bindValue(this);
  }
}
