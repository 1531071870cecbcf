package dev.athanor.sql;

import dev.athanor.error.ArgumentException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A SELECT statement. Start with {@link Sql#select(Object...)}; each call returns a new statement.
 * FROM is inferred from the selected columns and WHERE conditions unless given with {@link
 * #selectFrom} or {@link #join}; a subquery that refers to tables of the enclosing SELECT is
 * correlated to it.
 *
 * <pre>{@code
 * select(users.c("name"), Func.count(addresses.c("id")).label("n"))
 *     .join(addresses, addresses.c("user_id").eq(users.c("id")))
 *     .groupBy(users.c("name"))
 *     .orderBy(users.c("name").asc())
 * }</pre>
 */
public final class Select extends Statement {
  final List<SqlNode> selected;
  final List<FromClause> froms;
  final List<Expression<Boolean>> where;
  final List<Expression<?>> groupBy;
  final List<Expression<Boolean>> having;
  final List<OrderBy> orderBy;
  final @Nullable BindValue<Long> limit;
  final @Nullable BindValue<Long> offset;
  final boolean distinct;

  Select(
      List<SqlNode> selected,
      List<FromClause> froms,
      List<Expression<Boolean>> where,
      List<Expression<?>> groupBy,
      List<Expression<Boolean>> having,
      List<OrderBy> orderBy,
      @Nullable BindValue<Long> limit,
      @Nullable BindValue<Long> offset,
      boolean distinct,
      StatementMeta meta) {
    super(meta);
    this.selected = List.copyOf(selected);
    this.froms = List.copyOf(froms);
    this.where = List.copyOf(where);
    this.groupBy = List.copyOf(groupBy);
    this.having = List.copyOf(having);
    this.orderBy = List.copyOf(orderBy);
    this.limit = limit;
    this.offset = offset;
    this.distinct = distinct;
  }

  static Select of(Object... columns) {
    List<SqlNode> sel = new ArrayList<>();
    Map<String, Object> annotations = Map.of();
    for (Object o : columns) {
      if (o instanceof FromClause
          || o instanceof Expression<?> && !(o instanceof ExpressionProxy)) {
        sel.add((SqlNode) o);
      } else if (o instanceof ExpressionSource<?> es) {
        sel.add(Coercions.expression(es));
        annotations = Coercions.annotate(annotations, es.annotations());
      } else if (o instanceof FromSource fs) {
        sel.add(new SourceColumns(fs));
        annotations = Coercions.annotate(annotations, fs.annotations());
      } else if (o instanceof Class<?> c) {
        // A mapped class (select(User.class)) stands for its mapper.
        FromSource fs = dev.athanor.sql.internal.ClassSources.require(c, "select");
        sel.add(new SourceColumns(fs));
        annotations = Coercions.annotate(annotations, fs.annotations());
      } else {
        throw new ArgumentException(
            "select() takes columns, expressions, tables and what stands for them (an "
                + "ExpressionSource or FromSource), not "
                + (o == null ? "null" : o.getClass().getName())
                + "; wrap a value with Sql.literal(...)");
      }
    }
    return new Select(
        sel,
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        null,
        null,
        false,
        StatementMeta.NONE.annotate(annotations));
  }

  private static <E> List<E> plus(List<E> list, List<? extends E> more) {
    List<E> out = new ArrayList<>(list);
    out.addAll(more);
    return out;
  }

  /** Adds WHERE conditions, joined with AND to any already there. */
  @SafeVarargs
  public final Select where(ExpressionSource<Boolean>... conditions) {
    return new Select(
        selected,
        froms,
        plus(where, Coercions.expressions(Arrays.asList(conditions))),
        groupBy,
        having,
        orderBy,
        limit,
        offset,
        distinct,
        meta);
  }

  /** Sets FROM items explicitly (added to those inferred from the columns). */
  public Select selectFrom(FromSource... from) {
    List<FromClause> f = new ArrayList<>(from.length);
    for (FromSource source : from) {
      f.add(Coercions.from(source));
    }
    return new Select(
        selected, plus(froms, f), where, groupBy, having, orderBy, limit, offset, distinct, meta);
  }

  /** Joins the leftmost FROM item to {@code target} ({@code JOIN target ON on}). */
  public Select join(FromSource target, ExpressionSource<Boolean> on) {
    return joined(Coercions.from(target), Coercions.expression(on), false);
  }

  /** Like {@link #join}, as a {@code LEFT OUTER JOIN}. */
  public Select outerJoin(FromSource target, ExpressionSource<Boolean> on) {
    return joined(Coercions.from(target), Coercions.expression(on), true);
  }

  private Select joined(FromClause target, Expression<Boolean> on, boolean outer) {
    List<FromClause> f = new ArrayList<>(froms);
    FromClause left;
    if (f.isEmpty()) {
      Set<FromClause> inferred = new LinkedHashSet<>();
      for (SqlNode n : selected) {
        collect(n, inferred);
      }
      inferred.remove(target);
      if (inferred.isEmpty()) {
        throw new dev.athanor.error.ArgumentException(
            "join(): nothing to join from; select a column of a table first or call selectFrom()");
      }
      left = inferred.iterator().next();
    } else {
      left = f.remove(0);
    }
    f.add(0, outer ? left.outerJoin(target, on) : left.join(target, on));
    return new Select(selected, f, where, groupBy, having, orderBy, limit, offset, distinct, meta);
  }

  /** Adds ORDER BY items: expressions (ascending) or {@code expr.desc()} and friends. */
  public Select orderBy(Object... items) {
    List<OrderBy> o = new ArrayList<>(orderBy);
    for (Object i : items) {
      if (i instanceof OrderBy ob) {
        o.add(ob);
      } else if (i instanceof ExpressionSource<?> e) {
        o.add(Coercions.expression(e).asc());
      } else if (i instanceof String name) {
        o.add(byName(name).asc());
      } else {
        throw new ArgumentException(
            "orderBy() takes column expressions, their asc()/desc(), or the name of a selected "
                + "column or label; got "
                + (i == null ? "null" : "a " + i.getClass().getSimpleName() + " (" + i + ")")
                + ".");
      }
    }
    return new Select(selected, froms, where, groupBy, having, o, limit, offset, distinct, meta);
  }

  /** Finds a selected column or label by name, as SQLAlchemy's {@code order_by("name")} does. */
  private Expression<?> byName(String name) {
    List<String> known = new ArrayList<>();
    for (SqlNode n : selected) {
      List<? extends Expression<?>> cols =
          n instanceof FromClause f
              ? f.columns()
              : n instanceof SourceColumns sc ? sc.columns : List.of((Expression<?>) n);
      for (Expression<?> e : cols) {
        String key = e.keyName();
        known.add(key);
        if (name.equals(key)) {
          // A label is ordered by its name; a column by itself.
          return e instanceof Label<?> l ? Sql.literalSql(Compiler.quoteAlways(l.name())) : e;
        }
      }
    }
    throw new ArgumentException(
        "orderBy(\""
            + name
            + "\"): this select has no column or label of that name; it selects "
            + known
            + ". Pass the column itself (table.c(\"...\")), or label the expression.");
  }

  /** Adds GROUP BY expressions. */
  public Select groupBy(ExpressionSource<?>... items) {
    return new Select(
        selected,
        froms,
        where,
        plus(groupBy, Coercions.anyExpressions(items)),
        having,
        orderBy,
        limit,
        offset,
        distinct,
        meta);
  }

  /** Adds HAVING conditions. */
  @SafeVarargs
  public final Select having(ExpressionSource<Boolean>... conditions) {
    return new Select(
        selected,
        froms,
        where,
        groupBy,
        plus(having, Coercions.expressions(Arrays.asList(conditions))),
        orderBy,
        limit,
        offset,
        distinct,
        meta);
  }

  /** Sets LIMIT. */
  public Select limit(int n) {
    if (n < 0) {
      throw new dev.athanor.error.ArgumentException("limit must not be negative, not " + n);
    }
    return new Select(
        selected,
        froms,
        where,
        groupBy,
        having,
        orderBy,
        BindValue.count(n),
        offset,
        distinct,
        meta);
  }

  /** Sets OFFSET. */
  public Select offset(int n) {
    if (n < 0) {
      throw new dev.athanor.error.ArgumentException("offset must not be negative, not " + n);
    }
    return new Select(
        selected,
        froms,
        where,
        groupBy,
        having,
        orderBy,
        limit,
        BindValue.count(n),
        distinct,
        meta);
  }

  /** Makes this a SELECT DISTINCT. */
  public Select distinct() {
    return new Select(selected, froms, where, groupBy, having, orderBy, limit, offset, true, meta);
  }

  /** Uses this SELECT as a FROM item named {@code name}. */
  public Subquery subquery(String name) {
    return new Subquery(this, name, false);
  }

  /** Uses this SELECT as a common table expression ({@code WITH name AS (...)}). */
  public Subquery cte(String name) {
    return new Subquery(this, name, true);
  }

  /** Returns {@code EXISTS (this)}. */
  public Expression<Boolean> exists() {
    return new Exists(this);
  }

  /** Uses this one-column SELECT as a value, {@code (SELECT ...)}. */
  @SuppressWarnings("unchecked")
  public <T> Expression<T> scalarSubquery() {
    List<Expression<?>> cols = resultColumns();
    if (cols.size() != 1) {
      throw new dev.athanor.error.ArgumentException(
          "scalarSubquery() needs a SELECT of exactly one column, this one has " + cols.size());
    }
    return new ScalarSubquery<>(this, (SqlType<T>) cols.get(0).type());
  }

  /** {@code this UNION others}. */
  public CompoundSelect union(Select... others) {
    return CompoundSelect.of("UNION", this, others);
  }

  /** {@code this UNION ALL others}. */
  public CompoundSelect unionAll(Select... others) {
    return CompoundSelect.of("UNION ALL", this, others);
  }

  /**
   * Returns what was selected, in order, as given to {@code select()}: expressions, FROM items, and
   * the {@link FromSource}s selected as a whole (an ORM's mapped class). {@link #resultColumns()}
   * lists the columns they expand to.
   */
  public List<Object> selectedSources() {
    List<Object> out = new ArrayList<>(selected.size());
    for (SqlNode n : selected) {
      out.add(n instanceof SourceColumns sc ? sc.source : n);
    }
    return out;
  }

  /** Returns a copy with an annotation (part of the cache key); see {@link #annotations()}. */
  public Select annotate(String key, Object value) {
    return new Select(
        selected,
        froms,
        where,
        groupBy,
        having,
        orderBy,
        limit,
        offset,
        distinct,
        meta.annotate(Map.of(key, value)));
  }

  /** Returns a copy that runs with these execution options over the connection's. */
  public Select executionOptions(ExecutionOptions options) {
    return new Select(
        selected,
        froms,
        where,
        groupBy,
        having,
        orderBy,
        limit,
        offset,
        distinct,
        meta.options(options));
  }

  /**
   * Returns a copy with options of a layer above the Core (the ORM's {@code selectinload}), added
   * to its execution options in order.
   */
  public Select options(StatementOption... options) {
    ExecutionOptions opts = meta.options();
    for (StatementOption o : options) {
      opts = o.addTo(opts);
    }
    return new Select(
        selected, froms, where, groupBy, having, orderBy, limit, offset, distinct, meta.with(opts));
  }

  /** Made on first use: a statement run many times lists its columns once. */
  private volatile @Nullable List<Expression<?>> resultColumns;

  /** Returns the result columns, with tables expanded to their columns (an unmodifiable list). */
  public List<Expression<?>> resultColumns() {
    List<Expression<?>> cols = resultColumns;
    if (cols == null) {
      cols = List.copyOf(expandColumns());
      resultColumns = cols;
    }
    return cols;
  }

  private List<Expression<?>> expandColumns() {
    List<Expression<?>> out = new ArrayList<>();
    for (SqlNode n : selected) {
      if (n instanceof FromClause f) {
        out.addAll(f.columns());
      } else if (n instanceof SourceColumns sc) {
        out.addAll(sc.columns);
      } else {
        out.add((Expression<?>) n);
      }
    }
    return out;
  }

  private static void collect(SqlNode n, Set<FromClause> into) {
    if (n instanceof FromClause f) {
      into.add(f);
    } else {
      n.collectFroms(into);
    }
  }

  /** FROM items: explicit ones first, then inferred ones not covered by a join. */
  List<FromClause> effectiveFroms(Set<FromClause> enclosing) {
    Set<FromClause> inferred = new LinkedHashSet<>();
    for (SqlNode n : selected) {
      collect(n, inferred);
    }
    for (Expression<Boolean> w : where) {
      w.collectFroms(inferred);
    }
    Set<FromClause> covered = new LinkedHashSet<>();
    for (FromClause f : froms) {
      covered.addAll(f.covered());
      covered.add(f);
    }
    List<FromClause> out = new ArrayList<>(froms);
    for (FromClause f : inferred) {
      if (!covered.contains(f) && !(f instanceof Join)) {
        out.add(f);
      }
    }
    if (!enclosing.isEmpty() && out.size() > froms.size()) {
      List<FromClause> correlated = new ArrayList<>(froms);
      for (FromClause f : out.subList(froms.size(), out.size())) {
        if (!enclosing.contains(f)) {
          correlated.add(f);
        }
      }
      if (!correlated.isEmpty()) {
        return correlated;
      }
    }
    return out;
  }

  @Override
  void shape(StatementShape.Builder k) {
    k.token(distinct).token(selected.size());
    for (SqlNode n : selected) {
      if (n instanceof FromClause f) {
        k.shared(f);
      } else {
        k.node(n);
      }
    }
    k.token(froms.size());
    for (FromClause f : froms) {
      k.shared(f);
    }
    k.nodes(where).nodes(groupBy).nodes(having).nodes(orderBy).node(limit).node(offset);
  }

  @Override
  void compile(Compiler c) {
    c.select(this);
  }
}
