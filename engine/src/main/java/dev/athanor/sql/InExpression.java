package dev.athanor.sql;

import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** {@code x IN (a, b, c)}, {@code x IN (SELECT ...)} and their NOT forms. */
final class InExpression extends Expression<Boolean> {
  final Expression<?> left;
  final List<Expression<?>> items;
  final @Nullable Select subquery;
  final boolean negated;

  InExpression(
      Expression<?> left, List<Expression<?>> items, @Nullable Select subquery, boolean negated) {
    this.left = left;
    this.items = List.copyOf(items);
    this.subquery = subquery;
    this.negated = negated;
  }

  @Override
  public SqlType<Boolean> type() {
    return Types.BOOLEAN;
  }

  @Override
  int precedence() {
    return 40;
  }

  @Override
  void shape(StatementShape.Builder k) {
    k.token(negated).node(left).nodes(items).node(subquery);
  }

  @Override
  void compile(Compiler c) {
    if (subquery == null && items.isEmpty()) {
      // An empty IN matches nothing (NOT IN matches everything), as in SQLAlchemy.
      c.append(negated ? "1 = 1" : "1 = 0");
      return;
    }
    c.operand(left, precedence() + 1);
    c.append(negated ? " NOT IN (" : " IN (");
    if (subquery != null) {
      c.nested(subquery);
    } else {
      for (int i = 0; i < items.size(); i++) {
        if (i > 0) {
          c.append(", ");
        }
        c.expr(items.get(i));
      }
    }
    c.append(")");
  }

  @Override
  void collectFroms(Set<FromClause> into) {
    left.collectFroms(into);
  }
}
