package dev.athanor.sql;

/** A piece of SQL written by the program, used as is (e.g. a server default). */
final class LiteralSql<T> extends Expression<T> {
  private final String sql;
  private final SqlType<T> type;

  LiteralSql(String sql, SqlType<T> type) {
    this.sql = sql;
    this.type = type;
  }

  @Override
  public SqlType<T> type() {
    return type;
  }

  @Override
  public String keyName() {
    return sql;
  }

  @Override
  void shape(StatementShape.Builder k) {
    k.token(sql);
  }

  @Override
  void compile(Compiler c) {
    c.append(sql);
  }
}
