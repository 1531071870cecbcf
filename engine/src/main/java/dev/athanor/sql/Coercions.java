package dev.athanor.sql;

import dev.athanor.error.ArgumentException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns what a statement builder was given ({@link ExpressionSource}, {@link FromSource}) into the
 * nodes the compiler knows, and gathers the annotations those sources carry.
 */
final class Coercions {
  private Coercions() {}

  /** How deep a chain of sources standing for sources may go before it is taken for a loop. */
  private static final int MAX_DEPTH = 32;

  /** Returns the plain expression a source stands for (a proxy's target, followed to the end). */
  @SuppressWarnings("unchecked")
  static <T> Expression<T> expression(ExpressionSource<T> source) {
    ExpressionSource<T> s = source;
    for (int depth = 0; depth < MAX_DEPTH; depth++) {
      if (s instanceof Expression<T> e && !(s instanceof ExpressionProxy<?>)) {
        return e;
      }
      Expression<T> next = s.toExpression();
      if (next == null) {
        throw new ArgumentException(
            s.getClass().getName()
                + ".toExpression() returned null; it must return the Expression it stands for.");
      }
      if (next == s) {
        throw new ArgumentException(
            s.getClass().getName()
                + ".toExpression() returned the proxy itself; it must return the Expression it "
                + "stands for (a column, say).");
      }
      s = next;
    }
    throw new ArgumentException(
        source.getClass().getName()
            + " stands for an expression through more than "
            + MAX_DEPTH
            + " sources; is there a loop in toExpression()?");
  }

  /** Returns the FROM item a source stands for. */
  static FromClause from(FromSource source) {
    if (source instanceof FromClause f) {
      return f;
    }
    FromClause f = source.toFromClause();
    if (f == null) {
      throw new ArgumentException(
          source.getClass().getName()
              + ".toFromClause() returned null; it must return the table or FROM item it stands "
              + "for.");
    }
    return f;
  }

  /** Returns the table a statement target stands for. */
  static Table table(FromSource target, String statement) {
    FromClause f = from(target);
    if (f instanceof Table t) {
      return t;
    }
    throw new ArgumentException(
        statement
            + "() needs a table to write to; "
            + target
            + " stands for "
            + f.describe()
            + ", which is not a table.");
  }

  /** Coerces each source of a list. */
  static <T> List<Expression<T>> expressions(Collection<? extends ExpressionSource<T>> sources) {
    List<Expression<T>> out = new ArrayList<>(sources.size());
    for (ExpressionSource<T> s : sources) {
      out.add(expression(requireNonNull(s)));
    }
    return out;
  }

  /** Coerces each source of an array of any element type. */
  static List<Expression<?>> anyExpressions(ExpressionSource<?>[] sources) {
    List<Expression<?>> out = new ArrayList<>(sources.length);
    for (ExpressionSource<?> s : sources) {
      out.add(expression(requireNonNull(s)));
    }
    return out;
  }

  private static <S> S requireNonNull(@Nullable S s) {
    if (s == null) {
      throw new ArgumentException(
          "A statement was given null where it takes an expression; use Sql.nullValue() for SQL "
              + "NULL.");
    }
    return s;
  }

  /** Returns {@code base} with the annotations of {@code more} laid over it. */
  static Map<String, Object> annotate(Map<String, Object> base, Map<String, Object> more) {
    if (more.isEmpty()) {
      return base;
    }
    if (base.isEmpty()) {
      return Map.copyOf(more);
    }
    Map<String, Object> m = new LinkedHashMap<>(base);
    m.putAll(more);
    return Map.copyOf(m);
  }
}
