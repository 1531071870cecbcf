package dev.athanor.sql;

import dev.athanor.error.InvalidRequestException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Evaluates SQL conditions and values in memory, against the column values of one row held by the
 * program (SQLAlchemy's ORM evaluator): how an ORM applies a bulk {@code UPDATE ... WHERE} to the
 * objects it already holds without asking the database which rows matched.
 *
 * <p>It understands columns of the row, bound values, {@code NULL}, comparisons ({@code = <> < <= >
 * >=}), {@code AND}, {@code OR}, {@code NOT}, {@code IS [NOT] NULL}, {@code [NOT] IN} a list, and
 * {@code + - * /} and {@code ||}, with SQL's three-valued logic (a comparison with NULL is unknown,
 * which does not match). Anything else (functions, subqueries, {@code LIKE}, casts) raises {@link
 * Unevaluable}, and the caller asks the database instead.
 */
public final class Evaluator {
  private Evaluator() {}

  /** An expression the evaluator does not understand; ask the database instead. */
  public static final class Unevaluable extends InvalidRequestException {
    private static final long serialVersionUID = 1L;

    Unevaluable(String what) {
      super(
          "Cannot evaluate "
              + what
              + " in memory; synchronize the session with \"fetch\" instead of \"evaluate\".");
    }
  }

  /** The values of one row, by column. */
  @FunctionalInterface
  public interface RowValues {
    /** Returns the value of {@code column} in this row. */
    @Nullable Object get(Column<?> column);
  }

  /**
   * Returns a test of rows against conditions ANDed together (none: every row matches).
   *
   * @throws Unevaluable if a condition uses something the evaluator does not understand
   */
  public static Predicate<RowValues> condition(List<? extends ExpressionSource<Boolean>> where) {
    return condition(where, c -> true);
  }

  /**
   * Returns a test of rows against conditions ANDed together, where only the columns {@code known}
   * accepts are in a row.
   *
   * @throws Unevaluable if a condition uses something the evaluator does not understand, or a
   *     column that is not known
   */
  public static Predicate<RowValues> condition(
      List<? extends ExpressionSource<Boolean>> where, Predicate<Column<?>> known) {
    List<Function<RowValues, @Nullable Object>> parts = new ArrayList<>();
    for (ExpressionSource<Boolean> w : where) {
      parts.add(compile(Coercions.expression(w), known));
    }
    return row -> {
      for (Function<RowValues, @Nullable Object> p : parts) {
        if (!Boolean.TRUE.equals(p.apply(row))) {
          return false;
        }
      }
      return true;
    };
  }

  /**
   * Returns a computation of a value ({@code SET} clause right side) from a row: a plain value is
   * itself, an expression is evaluated.
   *
   * @throws Unevaluable if the expression uses something the evaluator does not understand
   */
  public static Function<RowValues, @Nullable Object> value(@Nullable Object valueOrExpression) {
    return value(valueOrExpression, c -> true);
  }

  /** Like {@link #value(Object)}, where only the columns {@code known} accepts are in a row. */
  public static Function<RowValues, @Nullable Object> value(
      @Nullable Object valueOrExpression, Predicate<Column<?>> known) {
    if (valueOrExpression instanceof ExpressionSource<?> e) {
      return compile(Coercions.expression(e), known);
    }
    return row -> valueOrExpression;
  }

  private static Function<RowValues, @Nullable Object> compile(
      Expression<?> e, Predicate<Column<?>> known) {
    if (e instanceof ExpressionProxy<?> p) {
      return compile(p.toExpression(), known);
    }
    if (e instanceof Column<?> c) {
      if (!known.test(c)) {
        throw new Unevaluable("the column " + c.name() + " of another table");
      }
      return row -> row.get(c);
    }
    if (e instanceof BindValue<?> b) {
      Object v = b.value;
      return row -> v;
    }
    if (e instanceof Null<?>) {
      return row -> null;
    }
    if (e instanceof Label<?> l) {
      return compile(l.inner, known);
    }
    if (e instanceof BooleanList b) {
      List<Function<RowValues, @Nullable Object>> items = new ArrayList<>();
      b.items.forEach(i -> items.add(compile(i, known)));
      boolean and = b.op.equals("AND");
      return row -> and ? and(items, row) : or(items, row);
    }
    if (e instanceof Prefix<?> p && p.op.trim().equals("NOT")) {
      Function<RowValues, @Nullable Object> inner = compile(p.operand, known);
      return row -> {
        Object v = inner.apply(row);
        return v == null ? null : !(Boolean) v;
      };
    }
    if (e instanceof Postfix<?> p) {
      Function<RowValues, @Nullable Object> inner = compile(p.operand, known);
      return switch (p.op.trim()) {
        case "IS NULL" -> row -> inner.apply(row) == null;
        case "IS NOT NULL" -> row -> inner.apply(row) != null;
        default -> throw new Unevaluable("the operator " + p.op.trim());
      };
    }
    if (e instanceof InExpression in) {
      if (in.subquery != null) {
        throw new Unevaluable("IN with a subquery");
      }
      Function<RowValues, @Nullable Object> left = compile(in.left, known);
      List<Function<RowValues, @Nullable Object>> items = new ArrayList<>();
      in.items.forEach(i -> items.add(compile(i, known)));
      return row -> {
        Object l = left.apply(row);
        if (l == null) {
          return null;
        }
        boolean unknown = false;
        for (Function<RowValues, @Nullable Object> i : items) {
          Object v = i.apply(row);
          if (v == null) {
            unknown = true;
          } else if (compare(l, v) == 0) {
            return !in.negated;
          }
        }
        return unknown ? null : in.negated;
      };
    }
    if (e instanceof BinaryExpression<?> b) {
      Function<RowValues, @Nullable Object> l = compile(b.left, known);
      Function<RowValues, @Nullable Object> r = compile(b.right, known);
      String op = b.op;
      return switch (op) {
        case "=", "<>", "<", "<=", ">", ">=" ->
            row -> {
              Object x = l.apply(row);
              Object y = r.apply(row);
              if (x == null || y == null) {
                return null;
              }
              int c = compare(x, y);
              return switch (op) {
                case "=" -> c == 0;
                case "<>" -> c != 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                default -> c >= 0;
              };
            };
        case "+", "-", "*", "/" -> row -> arithmetic(op, l.apply(row), r.apply(row));
        case "||" ->
            row -> {
              Object x = l.apply(row);
              Object y = r.apply(row);
              return x == null || y == null ? null : x.toString() + y;
            };
        default -> throw new Unevaluable("the operator " + op);
      };
    }
    throw new Unevaluable(e.getClass().getSimpleName() + " expressions");
  }

  private static @Nullable Object and(
      List<Function<RowValues, @Nullable Object>> items, RowValues r) {
    boolean unknown = false;
    for (Function<RowValues, @Nullable Object> i : items) {
      Object v = i.apply(r);
      if (v == null) {
        unknown = true;
      } else if (!(Boolean) v) {
        return false;
      }
    }
    return unknown ? null : true;
  }

  private static @Nullable Object or(
      List<Function<RowValues, @Nullable Object>> items, RowValues r) {
    boolean unknown = false;
    for (Function<RowValues, @Nullable Object> i : items) {
      Object v = i.apply(r);
      if (v == null) {
        unknown = true;
      } else if ((Boolean) v) {
        return true;
      }
    }
    return unknown ? null : false;
  }

  /**
   * Compares two non-null values: numbers by value whatever their class, binary values byte by byte
   * as unsigned (as PostgreSQL and H2 order them), else naturally.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static int compare(Object x, Object y) {
    if (x instanceof Number a && y instanceof Number b) {
      return decimal(a).compareTo(decimal(b));
    }
    if (x instanceof byte[] a && y instanceof byte[] b) {
      return java.util.Arrays.compareUnsigned(a, b);
    }
    if (x instanceof java.time.OffsetDateTime a && y instanceof java.time.OffsetDateTime b) {
      return a.toInstant().compareTo(b.toInstant()); // 12:00+02:00 is 10:00Z, as in SQL
    }
    if (x instanceof Enum<?> en && y instanceof String s) {
      return en.name().compareTo(s);
    }
    if (x instanceof String s && y instanceof Enum<?> en) {
      return s.compareTo(en.name());
    }
    if (x instanceof Comparable c && x.getClass().isInstance(y)) {
      return c.compareTo(y);
    }
    if (Objects.equals(x, y)) {
      return 0;
    }
    throw new Unevaluable(
        "a comparison of "
            + x.getClass().getSimpleName()
            + " with "
            + y.getClass().getSimpleName());
  }

  private static BigDecimal decimal(Number n) {
    return n instanceof BigDecimal d ? d : new BigDecimal(n.toString());
  }

  private static @Nullable Object arithmetic(String op, @Nullable Object x, @Nullable Object y) {
    if (x == null || y == null) {
      return null;
    }
    if (!(x instanceof Number a) || !(y instanceof Number b)) {
      throw new Unevaluable("arithmetic on " + x.getClass().getSimpleName());
    }
    if (isIntegral(a) && isIntegral(b)) {
      long p = a.longValue();
      long q = b.longValue();
      if (op.equals("/") && q == 0) {
        throw new Unevaluable("a division by zero");
      }
      long v =
          switch (op) {
            case "+" -> Math.addExact(p, q);
            case "-" -> Math.subtractExact(p, q);
            case "*" -> Math.multiplyExact(p, q);
            default -> p / q; // integer division truncates, as in SQL
          };
      // The column's own number class, as the database would return it.
      return a instanceof Integer && b instanceof Integer && v == (int) v ? (Object) (int) v : v;
    }
    BigDecimal p = decimal(a);
    BigDecimal q = decimal(b);
    BigDecimal v =
        switch (op) {
          case "+" -> p.add(q);
          case "-" -> p.subtract(q);
          case "*" -> p.multiply(q);
          default -> p.divide(q, java.math.MathContext.DECIMAL64);
        };
    if (a instanceof Double || b instanceof Double) {
      return v.doubleValue();
    }
    return v;
  }

  private static boolean isIntegral(Number n) {
    return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte;
  }
}
