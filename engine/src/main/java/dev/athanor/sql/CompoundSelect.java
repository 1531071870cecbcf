package dev.athanor.sql;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@code SELECT ... UNION [ALL] SELECT ...}, with optional ORDER BY and LIMIT. */
public final class CompoundSelect extends Statement {
  final String op;
  final List<Select> selects;
  final List<OrderBy> orderBy;
  final @Nullable BindValue<Long> limit;

  private CompoundSelect(
      String op,
      List<Select> selects,
      List<OrderBy> orderBy,
      @Nullable BindValue<Long> limit,
      StatementMeta meta) {
    super(meta);
    this.op = op;
    this.selects = List.copyOf(selects);
    this.orderBy = List.copyOf(orderBy);
    this.limit = limit;
  }

  static CompoundSelect of(String op, Select first, Select... others) {
    List<Select> all = new ArrayList<>();
    all.add(first);
    all.addAll(List.of(others));
    int n = first.resultColumns().size();
    for (Select s : all) {
      if (s.resultColumns().size() != n) {
        throw new dev.athanor.error.ArgumentException(
            op
                + " needs SELECTs with the same number of columns; found "
                + n
                + " and "
                + s.resultColumns().size());
      }
    }
    return new CompoundSelect(op, all, List.of(), null, StatementMeta.NONE);
  }

  /** Adds ORDER BY items over the whole compound. */
  public CompoundSelect orderBy(Object... items) {
    List<OrderBy> o = new ArrayList<>(orderBy);
    for (Object i : items) {
      if (i instanceof OrderBy ob) {
        o.add(ob);
      } else if (i instanceof ExpressionSource<?> e) {
        o.add(Coercions.expression(e).asc());
      } else {
        throw new dev.athanor.error.ArgumentException(
            "orderBy() takes column expressions or their asc()/desc(); got "
                + (i == null ? "null" : "a " + i.getClass().getSimpleName())
                + ".");
      }
    }
    return new CompoundSelect(op, selects, o, limit, meta);
  }

  /** Sets LIMIT over the whole compound. */
  public CompoundSelect limit(int n) {
    if (n < 0) {
      throw new dev.athanor.error.ArgumentException("limit must not be negative, not " + n);
    }
    return new CompoundSelect(op, selects, orderBy, BindValue.count(n), meta);
  }

  /** Returns a copy with an annotation (part of the cache key); see {@link #annotations()}. */
  public CompoundSelect annotate(String key, Object value) {
    return new CompoundSelect(
        op, selects, orderBy, limit, meta.annotate(java.util.Map.of(key, value)));
  }

  /** Returns a copy that runs with these execution options over the connection's. */
  public CompoundSelect executionOptions(ExecutionOptions options) {
    return new CompoundSelect(op, selects, orderBy, limit, meta.options(options));
  }

  /** Returns the result columns (those of the first SELECT). */
  public List<Expression<?>> resultColumns() {
    return selects.get(0).resultColumns();
  }

  @Override
  void shape(StatementShape.Builder k) {
    k.token(op).nodes(selects).nodes(orderBy).node(limit);
  }

  @Override
  void compile(Compiler c) {
    c.compound(this);
  }
}
