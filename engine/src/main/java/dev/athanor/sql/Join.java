package dev.athanor.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code left [LEFT OUTER | FULL OUTER] JOIN right ON condition}. */
public final class Join extends FromClause {
  private final FromClause left;
  private final FromClause right;
  private final Expression<Boolean> on;
  private final boolean outer;
  private final boolean full;

  Join(FromClause left, FromClause right, Expression<Boolean> on, boolean outer, boolean full) {
    this.left = left;
    this.right = right;
    this.on = on;
    this.outer = outer;
    this.full = full;
  }

  @Override
  public List<Expression<?>> columns() {
    List<Expression<?>> out = new ArrayList<>(left.columns());
    out.addAll(right.columns());
    return out;
  }

  @Override
  List<FromClause> covered() {
    List<FromClause> out = new ArrayList<>(left.covered());
    out.addAll(right.covered());
    return out;
  }

  @Override
  String describe() {
    return "join of " + left.describe() + " and " + right.describe();
  }

  @Override
  String qualifier() {
    throw new IllegalStateException("a join has no name to qualify columns with");
  }

  @Override
  void shape(StatementShape.Builder k) {
    k.shared(left).shared(right).node(on).token(outer).token(full);
  }

  @Override
  void compile(Compiler c) {
    left.compile(c);
    c.append(full ? " FULL OUTER JOIN " : outer ? " LEFT OUTER JOIN " : " JOIN ");
    right.compile(c);
    c.append(" ON ");
    c.expr(on);
  }

  @Override
  void collectFroms(Set<FromClause> into) {
    into.add(this);
  }
}
