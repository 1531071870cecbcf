package dev.athanor.sql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An UPDATE statement. Without {@link #values}, the SET clause is made from the execution
 * parameters that name columns (other names are left for the WHERE clause's {@code bindparam}s).
 */
public final class Update extends Statement {
  final Table table;
  final Map<Column<?>, Object> values;
  final List<Expression<Boolean>> where;
  final List<Expression<?>> returning;

  Update(
      Table table,
      Map<Column<?>, Object> values,
      List<Expression<Boolean>> where,
      List<Expression<?>> returning) {
    this.table = table;
    this.values = values;
    this.where = List.copyOf(where);
    this.returning = List.copyOf(returning);
  }

  /** Sets the SET clause: column names or {@link Column}s to values or expressions. */
  public Update values(Map<?, ?> newValues) {
    return new Update(table, Insert.resolve(table, newValues), where, returning);
  }

  /** Adds WHERE conditions (ANDed). */
  @SafeVarargs
  public final Update where(Expression<Boolean>... conditions) {
    List<Expression<Boolean>> w = new ArrayList<>(where);
    w.addAll(Arrays.asList(conditions));
    return new Update(table, values, w, returning);
  }

  @Override
  public List<Expression<?>> resultColumns() {
    return returning;
  }

  /** Adds a RETURNING clause. */
  public Update returning(Expression<?>... columns) {
    List<Expression<?>> r = new ArrayList<>(returning);
    r.addAll(Arrays.asList(columns));
    return new Update(table, values, where, r);
  }

  @Override
  void shape(StatementShape.Builder k) {
    k.token(table).token(values.size());
    for (Map.Entry<Column<?>, Object> e : values.entrySet()) {
      k.token(e.getKey()).node((SqlNode) e.getValue());
    }
    k.nodes(where).nodes(returning);
  }

  @Override
  void compile(Compiler c) {
    c.update(this);
  }
}
