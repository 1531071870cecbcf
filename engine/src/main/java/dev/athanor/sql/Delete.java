package dev.athanor.sql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A DELETE statement. Without a WHERE clause it deletes every row, as in SQL. */
public final class Delete extends Statement {
  final Table table;
  final List<Expression<Boolean>> where;
  final List<Expression<?>> returning;

  Delete(
      Table table,
      List<Expression<Boolean>> where,
      List<Expression<?>> returning,
      StatementMeta meta) {
    super(meta);
    this.table = table;
    this.where = List.copyOf(where);
    this.returning = List.copyOf(returning);
  }

  /** Adds WHERE conditions (ANDed). */
  @SafeVarargs
  public final Delete where(ExpressionSource<Boolean>... conditions) {
    List<Expression<Boolean>> w = new ArrayList<>(where);
    w.addAll(Coercions.expressions(Arrays.asList(conditions)));
    return new Delete(table, w, returning, meta);
  }

  @Override
  public List<Expression<?>> resultColumns() {
    return returning;
  }

  /** Adds a RETURNING clause. */
  public Delete returning(ExpressionSource<?>... columns) {
    List<Expression<?>> r = new ArrayList<>(returning);
    r.addAll(Coercions.anyExpressions(columns));
    return new Delete(table, where, r, meta);
  }

  Delete annotated(FromSource source) {
    return new Delete(table, where, returning, meta.annotate(source.annotations()));
  }

  /** Returns a copy with an annotation (part of the cache key); see {@link #annotations()}. */
  public Delete annotate(String key, Object value) {
    return new Delete(table, where, returning, meta.annotate(java.util.Map.of(key, value)));
  }

  /** Returns a copy that runs with these execution options over the connection's. */
  public Delete executionOptions(ExecutionOptions options) {
    return new Delete(table, where, returning, meta.options(options));
  }

  /** Returns the target table. */
  public Table table() {
    return table;
  }

  /** Returns the WHERE conditions (ANDed). */
  public List<Expression<Boolean>> whereClauses() {
    return where;
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
