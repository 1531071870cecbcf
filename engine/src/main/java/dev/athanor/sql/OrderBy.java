package dev.athanor.sql;

import org.jspecify.annotations.Nullable;

/** An ORDER BY item: an expression, a direction, and where NULLs go. */
public final class OrderBy extends SqlNode {
  private final Expression<?> expr;
  private final boolean ascending;
  private final @Nullable Boolean nullsFirst;

  OrderBy(Expression<?> expr, boolean ascending, @Nullable Boolean nullsFirst) {
    this.expr = expr;
    this.ascending = ascending;
    this.nullsFirst = nullsFirst;
  }

  /** Puts NULLs first. */
  public OrderBy nullsFirst() {
    return new OrderBy(expr, ascending, true);
  }

  /** Puts NULLs last. */
  public OrderBy nullsLast() {
    return new OrderBy(expr, ascending, false);
  }

  @Override
  void shape(StatementShape.Builder k) {
    k.node(expr).token(ascending).token(nullsFirst);
  }

  @Override
  void compile(Compiler c) {
    c.expr(expr);
    c.append(ascending ? " ASC" : " DESC");
    if (nullsFirst != null) {
      c.append(nullsFirst ? " NULLS FIRST" : " NULLS LAST");
    }
  }
}
