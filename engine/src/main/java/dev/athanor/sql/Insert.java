package dev.athanor.sql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An INSERT statement. Give the values here ({@link #values(Map)}, several rows with {@link
 * #values(List)}) or at execution: {@code conn.execute(insert(users), List.of(row1, row2))} runs
 * one statement for many parameter sets (executemany). Keys are column names or {@link Column}s;
 * values are bound, or compiled inline when they are expressions.
 */
public final class Insert extends Statement {
  static {
    dev.athanor.sql.internal.ManyValues.install((insert, dialect, names, shape, rows) ->
        insert.compileManyValues(dialect, names, shape, rows));
  }

  final Table table;
  final List<Map<Column<?>, Object>> rows;
  final List<Expression<?>> returning;

  /** What RETURNING was given: expressions, and sources returned whole (an ORM's mapped class). */
  final List<Object> returningSources;

  final @Nullable Select fromSelect;
  final List<Column<?>> fromSelectColumns;

  Insert(
      Table table,
      List<Map<Column<?>, Object>> rows,
      List<?> returningSources,
      @Nullable Select fromSelect,
      List<Column<?>> fromSelectColumns,
      StatementMeta meta) {
    super(meta);
    this.table = table;
    this.rows = List.copyOf(rows);
    this.returningSources = List.copyOf(returningSources);
    List<Expression<?>> flat = new ArrayList<>();
    for (Object o : returningSources) {
      if (o instanceof Expression<?> e) {
        flat.add(e);
      } else {
        flat.addAll(((FromSource) o).selectedColumns());
      }
    }
    this.returning = List.copyOf(flat);
    this.fromSelect = fromSelect;
    this.fromSelectColumns = List.copyOf(fromSelectColumns);
  }

  static Map<Column<?>, Object> resolve(Table table, Map<?, ?> values) {
    Map<Column<?>, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : values.entrySet()) {
      Object key = e.getKey();
      if (key instanceof ExpressionSource<?> src
          && !(key instanceof Column<?>)
          && Coercions.expression(src) instanceof Column<?> target) {
        key = target; // a mapped attribute stands for its column
      }
      Column<?> col = key instanceof Column<?> c ? c : table.c(String.valueOf(key));
      if (col.table() != table) {
        throw new dev.athanor.error.ArgumentException(
            "Column "
                + col.table().name()
                + "."
                + col.name()
                + " is not a column of table '"
                + table.name()
                + "'.");
      }
      Object v = e.getValue();
      out.put(
          col, v == null ? new Null<>(col.type()) : v instanceof SqlNode n ? n : carried(col, v));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static <T> BindValue<T> carried(Column<T> col, Object v) {
    return new BindValue<>(v, col.type());
  }

  /** Sets the values of one row. */
  public Insert values(Map<?, ?> values) {
    return new Insert(
        table, List.of(resolve(table, values)), returningSources, null, List.of(), meta);
  }

  /** Sets several rows, inserted by one multi-row {@code VALUES} statement. */
  public Insert values(List<? extends Map<?, ?>> rowList) {
    if (rowList.isEmpty()) {
      throw new dev.athanor.error.ArgumentException("values() needs at least one row");
    }
    List<Map<Column<?>, Object>> r = new ArrayList<>();
    for (Map<?, ?> m : rowList) {
      r.add(resolve(table, m));
    }
    if (r.stream().map(Map::keySet).distinct().count() > 1) {
      throw new dev.athanor.error.ArgumentException(
          "every row of a multi-row values() must give the same columns");
    }
    return new Insert(table, r, returningSources, null, List.of(), meta);
  }

  /** {@code INSERT INTO table (columns) SELECT ...}. */
  public Insert fromSelect(List<Column<?>> columns, Select select) {
    if (columns.size() != select.resultColumns().size()) {
      throw new dev.athanor.error.ArgumentException(
          "fromSelect(): "
              + columns.size()
              + " columns but the SELECT has "
              + select.resultColumns().size());
    }
    return new Insert(table, List.of(), returningSources, select, columns, meta);
  }

  @Override
  public List<Expression<?>> resultColumns() {
    return returning;
  }

  /** Adds a RETURNING clause: the statement's result then has these columns. */
  public Insert returning(ExpressionSource<?>... columns) {
    List<Object> r = new ArrayList<>(returningSources);
    r.addAll(Coercions.anyExpressions(columns));
    return new Insert(table, rows, r, fromSelect, fromSelectColumns, meta);
  }

  /**
   * Adds whole sources to the RETURNING clause: each returns the columns it selects (an ORM's
   * mapped class returns its mapped columns, and the session makes objects of them).
   */
  public Insert returning(FromSource... sources) {
    List<Object> r = new ArrayList<>(returningSources);
    for (FromSource f : sources) {
      r.add(java.util.Objects.requireNonNull(f, "returning(null)"));
    }
    return new Insert(table, rows, r, fromSelect, fromSelectColumns, meta);
  }

  /** Returns what RETURNING was given, as given: expressions and whole sources. */
  public List<Object> returningSources() {
    return returningSources;
  }

  /**
   * Returns the value this statement gives a column in its first row, or {@code null} if it gives
   * none or gives an expression.
   */
  public @Nullable Object valueFor(Column<?> column) {
    if (rows.isEmpty()) {
      return null;
    }
    Object v = rows.get(0).get(column);
    return v instanceof BindValue<?> b ? b.value : null;
  }

  /** Returns whether this INSERT writes exactly one row from values it carries or is given. */
  public boolean isSingleRow() {
    return fromSelect == null && rows.size() <= 1;
  }

  CompiledStatement compileManyValues(
      Dialect dialect, java.util.Set<String> parameterNames, StatementShape shape, int rows) {
    if (!compilesPerParameters()) {
      throw new IllegalStateException("only an INSERT without values of its own takes many rows");
    }
    return Compiler.compile(this, dialect, parameterNames, shape, rows);
  }

  Insert annotated(FromSource source) {
    return new Insert(
        table,
        rows,
        returningSources,
        fromSelect,
        fromSelectColumns,
        meta.annotate(source.annotations()));
  }

  /** Returns a copy with an annotation (part of the cache key); see {@link #annotations()}. */
  public Insert annotate(String key, Object value) {
    return new Insert(
        table,
        rows,
        returningSources,
        fromSelect,
        fromSelectColumns,
        meta.annotate(java.util.Map.of(key, value)));
  }

  /** Returns a copy that runs with these execution options over the connection's. */
  public Insert executionOptions(ExecutionOptions options) {
    return new Insert(
        table, rows, returningSources, fromSelect, fromSelectColumns, meta.options(options));
  }

  /** Returns the target table. */
  public Table table() {
    return table;
  }

  @Override
  void shape(StatementShape.Builder k) {
    k.token(table).token(rows.size());
    for (Map<Column<?>, Object> row : rows) {
      k.token(row.size());
      for (Map.Entry<Column<?>, Object> e : row.entrySet()) {
        k.token(e.getKey()).node((SqlNode) e.getValue());
      }
    }
    k.nodes(returning).node(fromSelect).nodes(fromSelectColumns);
  }

  @Override
  void compile(Compiler c) {
    c.insert(this);
  }
}
