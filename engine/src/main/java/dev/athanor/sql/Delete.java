package dev.athanor.sql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A DELETE statement. Without a WHERE clause it deletes every row, as in SQL. */
public final class Delete extends Statement {
  final Table table;
  final List<Expression<Boolean>> where;
  final List<Expression<?>> returning;

  Delete(Table table, List<Expression<Boolean>> where, List<Expression<?>> returning) {
    this.table = table;
    this.where = List.copyOf(where);
    this.returning = List.copyOf(returning);
  }

  /** Adds WHERE conditions (ANDed). */
  @SafeVarargs
  public final Delete where(Expression<Boolean>... conditions) {
    List<Expression<Boolean>> w = new ArrayList<>(where);
    w.addAll(Arrays.asList(conditions));
    return new Delete(table, w, returning);
  }

  @Override
  public List<Expression<?>> resultColumns() {
    return returning;
  }

  /** Adds a RETURNING clause. */
  public Delete returning(Expression<?>... columns) {
    List<Expression<?>> r = new ArrayList<>(returning);
    r.addAll(Arrays.asList(columns));
    return new Delete(table, where, r);
  }

  @Override
  void shape(StatementShape.Builder k) {
    k.token(table).nodes(where).nodes(returning);
  }

  @Override
  void compile(Compiler c) {
    c.delete(this);
  }
}
