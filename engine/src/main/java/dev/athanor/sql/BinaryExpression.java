package dev.athanor.sql;

import java.util.Set;

/** {@code left op right}. */
final class BinaryExpression<T> extends Expression<T> {
  final Expression<?> left;
  final String op;
  final Expression<?> right;
  private final SqlType<T> type;

  BinaryExpression(Expression<?> left, String op, Expression<?> right, SqlType<T> type) {
    this.left = left;
    this.op = op;
    this.right = right;
    this.type = type;
  }

  @Override
  public SqlType<T> type() {
    return type;
  }

  @Override
  int precedence() {
    return switch (op) {
      case "*", "/" -> 60;
      case "+", "-", "||" -> 50;
      default -> 40;
    };
  }

  @Override
  void shape(StatementShape.Builder k) {
    k.token(op).node(left).node(right);
  }

  @Override
  void compile(Compiler c) {
    if (op.equals("ILIKE") && !c.dialect().supportsIlike()) {
      c.append("LOWER(");
      c.expr(left);
      c.append(") LIKE LOWER(");
      c.expr(right);
      c.append(")");
      return;
    }
    c.operand(left, precedence());
    c.append(" ").append(op).append(" ");
    c.operand(right, precedence() + 1);
  }

  @Override
  void collectFroms(Set<FromClause> into) {
    left.collectFroms(into);
    right.collectFroms(into);
  }
}
