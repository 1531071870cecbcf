package dev.athanor.sql;

import java.util.Set;

/** {@code CAST(expr AS type)}. */
final class Cast<T> extends Expression<T> {
  private final Expression<?> inner;
  private final SqlType<T> to;

  Cast(Expression<?> inner, SqlType<T> to) {
    this.inner = inner;
    this.to = to;
  }

  @Override
  public SqlType<T> type() {
    return to;
  }

  @Override
  void shape(StatementShape.Builder k) {
    k.node(inner).token(to);
  }

  @Override
  void compile(Compiler c) {
    c.append("CAST(");
    c.expr(inner);
    c.append(" AS ").append(to.ddl(c.dialect())).append(")");
  }

  @Override
  void collectFroms(Set<FromClause> into) {
    inner.collectFroms(into);
  }
}
