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
  static {
    dev.athanor.sql.internal.ManyValues.installUpdate(
        new dev.athanor.sql.internal.ManyValues.UpdateCompiler() {
          @Override
          public java.util.@org.jspecify.annotations.Nullable List<String> keys(Update update) {
            return UpdateManyValues.keys(update);
          }

          @Override
          public CompiledStatement compile(
              Update update,
              Dialect dialect,
              java.util.Set<String> parameterNames,
              StatementShape shape,
              int rows) {
            return UpdateManyValues.compile(update, dialect, parameterNames, shape, rows);
          }
        });
  }

  final Table table;
  final Map<Column<?>, Object> values;
  final List<Expression<Boolean>> where;
  final List<Expression<?>> returning;

  Update(
      Table table,
      Map<Column<?>, Object> values,
      List<Expression<Boolean>> where,
      List<Expression<?>> returning,
      StatementMeta meta) {
    super(meta);
    this.table = table;
    this.values = values;
    this.where = List.copyOf(where);
    this.returning = List.copyOf(returning);
  }

  /** Sets the SET clause: column names or {@link Column}s to values or expressions. */
  public Update values(Map<?, ?> newValues) {
    return new Update(table, Insert.resolve(table, newValues), where, returning, meta);
  }

  /** Adds WHERE conditions (ANDed). */
  @SafeVarargs
  public final Update where(ExpressionSource<Boolean>... conditions) {
    List<Expression<Boolean>> w = new ArrayList<>(where);
    w.addAll(Coercions.expressions(Arrays.asList(conditions)));
    return new Update(table, values, w, returning, meta);
  }

  @Override
  public List<Expression<?>> resultColumns() {
    return returning;
  }

  /** Adds a RETURNING clause. */
  public Update returning(ExpressionSource<?>... columns) {
    List<Expression<?>> r = new ArrayList<>(returning);
    r.addAll(Coercions.anyExpressions(columns));
    return new Update(table, values, where, r, meta);
  }

  Update annotated(FromSource source) {
    return new Update(table, values, where, returning, meta.annotate(source.annotations()));
  }

  /** Returns a copy with an annotation (part of the cache key); see {@link #annotations()}. */
  public Update annotate(String key, Object value) {
    return new Update(table, values, where, returning, meta.annotate(java.util.Map.of(key, value)));
  }

  /** Returns a copy that runs with these execution options over the connection's. */
  public Update executionOptions(ExecutionOptions options) {
    return new Update(table, values, where, returning, meta.options(options));
  }

  /** Returns the target table. */
  public Table table() {
    return table;
  }

  /** Returns the SET clause: each column and its value or expression, in order. */
  public Map<Column<?>, Object> assignments() {
    return java.util.Collections.unmodifiableMap(values);
  }

  /** Returns the WHERE conditions (ANDed). */
  public List<Expression<Boolean>> whereClauses() {
    return where;
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
