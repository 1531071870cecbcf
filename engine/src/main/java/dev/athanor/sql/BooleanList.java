package dev.athanor.sql;

import java.util.List;
import java.util.Set;

/** {@code a AND b AND c} or {@code a OR b OR c}. */
final class BooleanList extends Expression<Boolean> {
  final String op;
  final List<Expression<Boolean>> items;

  BooleanList(String op, List<Expression<Boolean>> items) {
    this.op = op;
    this.items = List.copyOf(items);
  }

  @Override
  public SqlType<Boolean> type() {
    return Types.BOOLEAN;
  }

  @Override
  int precedence() {
    return op.equals("AND") ? 20 : 10;
  }

  @Override
  void shape(StatementShape.Builder k) {
    k.token(op).nodes(items);
  }

  @Override
  void compile(Compiler c) {
    if (items.isEmpty()) {
      c.append(op.equals("AND") ? "1 = 1" : "1 = 0");
      return;
    }
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        c.append(" ").append(op).append(" ");
      }
      c.operand(items.get(i), precedence() + 1);
    }
  }

  @Override
  void collectFroms(Set<FromClause> into) {
    for (Expression<Boolean> e : items) {
      e.collectFroms(into);
    }
  }
}
