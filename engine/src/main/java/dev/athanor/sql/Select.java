package dev.athanor.sql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
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
      boolean distinct) {
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
    for (Object o : columns) {
      if (o instanceof FromClause || o instanceof Expression<?>) {
        sel.add((SqlNode) o);
      } else {
        throw new IllegalArgumentException(
            "select() takes columns, expressions and tables, not "
                + o.getClass().getName()
                + "; wrap a value with Sql.literal(...)");
      }
    }
    return new Select(
        sel, List.of(), List.of(), List.of(), List.of(), List.of(), null, null, false);
  }

  private static <E> List<E> plus(List<E> list, List<? extends E> more) {
    List<E> out = new ArrayList<>(list);
    out.addAll(more);
    return out;
  }

  /** Adds WHERE conditions, joined with AND to any already there. */
  @SafeVarargs
  public final Select where(Expression<Boolean>... conditions) {
    return new Select(
        selected,
        froms,
        plus(where, Arrays.asList(conditions)),
        groupBy,
        having,
        orderBy,
        limit,
        offset,
        distinct);
  }

  /** Sets FROM items explicitly (added to those inferred from the columns). */
  public Select selectFrom(FromClause... from) {
    return new Select(
        selected,
        plus(froms, Arrays.asList(from)),
        where,
        groupBy,
        having,
        orderBy,
        limit,
        offset,
        distinct);
  }

  /** Joins the leftmost FROM item to {@code target} ({@code JOIN target ON on}). */
  public Select join(FromClause target, Expression<Boolean> on) {
    return joined(target, on, false);
  }

  /** Like {@link #join}, as a {@code LEFT OUTER JOIN}. */
  public Select outerJoin(FromClause target, Expression<Boolean> on) {
    return joined(target, on, true);
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
        throw new IllegalArgumentException(
            "join(): nothing to join from; select a column of a table first or call selectFrom()");
      }
      left = inferred.iterator().next();
    } else {
      left = f.remove(0);
    }
    f.add(0, outer ? left.outerJoin(target, on) : left.join(target, on));
    return new Select(selected, f, where, groupBy, having, orderBy, limit, offset, distinct);
  }

  /** Adds ORDER BY items: expressions (ascending) or {@code expr.desc()} and friends. */
  public Select orderBy(Object... items) {
    List<OrderBy> o = new ArrayList<>(orderBy);
    for (Object i : items) {
      if (i instanceof OrderBy ob) {
        o.add(ob);
      } else if (i instanceof Expression<?> e) {
        o.add(e.asc());
      } else if (i instanceof String name) {
        o.add(byName(name).asc());
      } else {
        throw new dev.athanor.error.ArgumentException(
            "orderBy() takes column expressions, their asc()/desc(), or the name of a selected "
                + "column or label; got "
                + (i == null ? "null" : "a " + i.getClass().getSimpleName() + " (" + i + ")")
                + ".");
      }
    }
    return new Select(selected, froms, where, groupBy, having, o, limit, offset, distinct);
  }

  /** Finds a selected column or label by name, as SQLAlchemy's {@code order_by("name")} does. */
  private Expression<?> byName(String name) {
    List<String> known = new ArrayList<>();
    for (SqlNode n : selected) {
      List<? extends Expression<?>> cols =
          n instanceof FromClause f ? f.columns() : List.of((Expression<?>) n);
      for (Expression<?> e : cols) {
        String key = e.keyName();
        known.add(key);
        if (name.equals(key)) {
          // A label is ordered by its name; a column by itself.
          return e instanceof Label<?> l ? Sql.literalSql(Compiler.quoteAlways(l.name())) : e;
        }
      }
    }
    throw new dev.athanor.error.ArgumentException(
        "orderBy(\""
            + name
            + "\"): this select has no column or label of that name; it selects "
            + known
            + ". Pass the column itself (table.c(\"...\")), or label the expression.");
  }

  /** Adds GROUP BY expressions. */
  public Select groupBy(Expression<?>... items) {
    return new Select(
        selected,
        froms,
        where,
        plus(groupBy, Arrays.asList(items)),
        having,
        orderBy,
        limit,
        offset,
        distinct);
  }

  /** Adds HAVING conditions. */
  @SafeVarargs
  public final Select having(Expression<Boolean>... conditions) {
    return new Select(
        selected,
        froms,
        where,
        groupBy,
        plus(having, Arrays.asList(conditions)),
        orderBy,
        limit,
        offset,
        distinct);
  }

  /** Sets LIMIT. */
  public Select limit(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("limit must not be negative, not " + n);
    }
    return new Select(
        selected, froms, where, groupBy, having, orderBy, BindValue.count(n), offset, distinct);
  }

  /** Sets OFFSET. */
  public Select offset(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("offset must not be negative, not " + n);
    }
    return new Select(
        selected, froms, where, groupBy, having, orderBy, limit, BindValue.count(n), distinct);
  }

  /** Makes this a SELECT DISTINCT. */
  public Select distinct() {
    return new Select(selected, froms, where, groupBy, having, orderBy, limit, offset, true);
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
      throw new IllegalArgumentException(
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

  /** Returns the result columns, with tables expanded to their columns. */
  public List<Expression<?>> resultColumns() {
    List<Expression<?>> out = new ArrayList<>();
    for (SqlNode n : selected) {
      if (n instanceof FromClause f) {
        out.addAll(f.columns());
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
