package dev.athanor.sql;

import java.util.Arrays;
import java.util.List;

/**
 * SQL functions: the common ones by name, any other through {@link #of}. Arguments that are not
 * expressions are bound as parameters.
 *
 * <pre>{@code
 * select(Func.count()).selectFrom(users)
 * select(Func.of("lower", Types.TEXT, users.c("name")))
 * }</pre>
 */
public final class Func {
  private Func() {}

  /** {@code count(*)}. */
  public static Expression<Long> count() {
    return new FunctionCall<>("count", List.of(), Types.BIGINT);
  }

  /** {@code count(expr)}. */
  public static Expression<Long> count(Expression<?> expr) {
    return new FunctionCall<>("count", List.of(expr), Types.BIGINT);
  }

  /** {@code max(expr)}. */
  public static <T> Expression<T> max(Expression<T> expr) {
    return new FunctionCall<>("max", List.of(expr), expr.type());
  }

  /** {@code min(expr)}. */
  public static <T> Expression<T> min(Expression<T> expr) {
    return new FunctionCall<>("min", List.of(expr), expr.type());
  }

  /** {@code sum(expr)}. */
  public static <T> Expression<T> sum(Expression<T> expr) {
    return new FunctionCall<>("sum", List.of(expr), expr.type());
  }

  /** {@code avg(expr)}, as a decimal. */
  public static Expression<java.math.BigDecimal> avg(Expression<?> expr) {
    return new FunctionCall<>("avg", List.of(expr), Types.numeric(38, 10));
  }

  /** {@code lower(expr)}. */
  public static Expression<String> lower(Expression<String> expr) {
    return new FunctionCall<>("lower", List.of(expr), Types.TEXT);
  }

  /** {@code upper(expr)}. */
  public static Expression<String> upper(Expression<String> expr) {
    return new FunctionCall<>("upper", List.of(expr), Types.TEXT);
  }

  /** {@code length(expr)}. */
  public static Expression<Integer> length(Expression<String> expr) {
    return new FunctionCall<>("length", List.of(expr), Types.INTEGER);
  }

  /** {@code coalesce(a, b, ...)}. */
  @SafeVarargs
  public static <T> Expression<T> coalesce(Expression<T> first, Expression<? extends T>... rest) {
    List<Expression<?>> args = new java.util.ArrayList<>();
    args.add(first);
    args.addAll(Arrays.asList(rest));
    return new FunctionCall<>("coalesce", args, first.type());
  }

  /** The current timestamp with time zone ({@code now()} on PostgreSQL). */
  public static Expression<java.time.OffsetDateTime> now() {
    return new FunctionCall<>("now", List.of(), Types.TIMESTAMPTZ);
  }

  /** Any function: {@code name(args...)} returning {@code type}. */
  public static <T> Expression<T> of(String name, SqlType<T> type, Object... args) {
    if (!name.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
      throw new dev.athanor.error.ArgumentException(
          "'" + name + "' is not a function name; names are letters, digits, '_' and '.'");
    }
    List<Expression<?>> list = new java.util.ArrayList<>();
    for (Object a : args) {
      list.add(Sql.asExpression(a));
    }
    return new FunctionCall<>(name, list, type);
  }
}
