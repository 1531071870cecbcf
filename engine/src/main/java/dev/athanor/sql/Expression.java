package dev.athanor.sql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A typed SQL expression: a column, a bound value, a function call, a comparison. Operators return
 * new expressions; values passed to them are bound as parameters of the expression's type.
 *
 * <pre>{@code
 * users.c("name").eq("jack").and(users.c("age").gt(30))
 * }</pre>
 *
 * @param <T> the Java type of the expression's values
 */
public abstract class Expression<T> extends SqlNode implements ExpressionSource<T> {
  Expression() {}

  /** Returns this expression: an expression stands for itself. */
  @Override
  public Expression<T> toExpression() {
    return this;
  }

  /** Returns this expression, under which rows index its column. */
  @Override
  public Object keyTarget() {
    return this;
  }

  /** Returns the expression's SQL type. */
  public abstract SqlType<T> type();

  /** Returns the name rows use for this expression when it is selected without a label. */
  @Override
  public String keyName() {
    return "anon";
  }

  Expression<T> bind(@Nullable T value) {
    return value == null ? new Null<>(type()) : new BindValue<>(value, type());
  }

  private Expression<Boolean> cmp(String op, @Nullable T value) {
    if (value == null && (op.equals("=") || op.equals("<>"))) {
      return op.equals("=") ? isNull() : isNotNull();
    }
    return new BinaryExpression<>(this, op, bind(value), Types.BOOLEAN);
  }

  /** {@code this = value}; {@code IS NULL} for a {@code null} value. */
  public Expression<Boolean> eq(@Nullable T value) {
    return cmp("=", value);
  }

  /** {@code this = other}. */
  public Expression<Boolean> eq(Expression<? extends T> other) {
    return new BinaryExpression<>(this, "=", other, Types.BOOLEAN);
  }

  /** {@code this <> value}; {@code IS NOT NULL} for a {@code null} value. */
  public Expression<Boolean> ne(@Nullable T value) {
    return cmp("<>", value);
  }

  /** {@code this <> other}. */
  public Expression<Boolean> ne(Expression<? extends T> other) {
    return new BinaryExpression<>(this, "<>", other, Types.BOOLEAN);
  }

  /** {@code this < value}. */
  public Expression<Boolean> lt(T value) {
    return cmp("<", value);
  }

  /** {@code this < other}. */
  public Expression<Boolean> lt(Expression<? extends T> other) {
    return new BinaryExpression<>(this, "<", other, Types.BOOLEAN);
  }

  /** {@code this <= value}. */
  public Expression<Boolean> le(T value) {
    return cmp("<=", value);
  }

  /** {@code this <= other}. */
  public Expression<Boolean> le(Expression<? extends T> other) {
    return new BinaryExpression<>(this, "<=", other, Types.BOOLEAN);
  }

  /** {@code this > value}. */
  public Expression<Boolean> gt(T value) {
    return cmp(">", value);
  }

  /** {@code this > other}. */
  public Expression<Boolean> gt(Expression<? extends T> other) {
    return new BinaryExpression<>(this, ">", other, Types.BOOLEAN);
  }

  /** {@code this >= value}. */
  public Expression<Boolean> ge(T value) {
    return cmp(">=", value);
  }

  /** {@code this >= other}. */
  public Expression<Boolean> ge(Expression<? extends T> other) {
    return new BinaryExpression<>(this, ">=", other, Types.BOOLEAN);
  }

  /** {@code this IN (values...)}; an empty collection compiles to a false condition. */
  public Expression<Boolean> in(Collection<? extends T> values) {
    List<Expression<?>> items = new ArrayList<>(values.size());
    for (T v : values) {
      items.add(bind(v));
    }
    return new InExpression(this, items, null, false);
  }

  /** {@code this IN (values...)}. */
  @SafeVarargs
  public final Expression<Boolean> in(T... values) {
    return in(Arrays.asList(values));
  }

  /** {@code this IN (subquery)}. */
  public Expression<Boolean> in(Select subquery) {
    return new InExpression(this, List.of(), subquery, false);
  }

  /** {@code this NOT IN (values...)}. */
  public Expression<Boolean> notIn(Collection<? extends T> values) {
    List<Expression<?>> items = new ArrayList<>(values.size());
    for (T v : values) {
      items.add(bind(v));
    }
    return new InExpression(this, items, null, true);
  }

  /** {@code this BETWEEN low AND high}. */
  public Expression<Boolean> between(T low, T high) {
    return new Between(this, bind(low), bind(high));
  }

  /** {@code this IS NULL}. */
  public Expression<Boolean> isNull() {
    return new Postfix<>(this, " IS NULL", Types.BOOLEAN);
  }

  /** {@code this IS NOT NULL}. */
  public Expression<Boolean> isNotNull() {
    return new Postfix<>(this, " IS NOT NULL", Types.BOOLEAN);
  }

  /** {@code this LIKE pattern}. */
  public Expression<Boolean> like(String pattern) {
    return new BinaryExpression<>(
        this, "LIKE", new BindValue<>(pattern, Types.TEXT), Types.BOOLEAN);
  }

  /** {@code this NOT LIKE pattern}. */
  public Expression<Boolean> notLike(String pattern) {
    return new BinaryExpression<>(
        this, "NOT LIKE", new BindValue<>(pattern, Types.TEXT), Types.BOOLEAN);
  }

  /** Case-insensitive LIKE ({@code ILIKE} on both databases). */
  public Expression<Boolean> ilike(String pattern) {
    return new BinaryExpression<>(
        this, "ILIKE", new BindValue<>(pattern, Types.TEXT), Types.BOOLEAN);
  }

  /** {@code this + value}. */
  public Expression<T> plus(T value) {
    return new BinaryExpression<>(this, "+", bind(value), type());
  }

  /** {@code this + other}. */
  public Expression<T> plus(Expression<? extends T> other) {
    return new BinaryExpression<>(this, "+", other, type());
  }

  /** {@code this - value}. */
  public Expression<T> minus(T value) {
    return new BinaryExpression<>(this, "-", bind(value), type());
  }

  /** {@code this * value}. */
  public Expression<T> times(T value) {
    return new BinaryExpression<>(this, "*", bind(value), type());
  }

  /** {@code this / value}. */
  public Expression<T> div(T value) {
    return new BinaryExpression<>(this, "/", bind(value), type());
  }

  /** String concatenation, {@code this || other}. */
  public Expression<String> concat(Expression<?> other) {
    return new BinaryExpression<>(this, "||", other, Types.TEXT);
  }

  /** String concatenation with a value, {@code this || value}. */
  public Expression<String> concat(String value) {
    return new BinaryExpression<>(this, "||", new BindValue<>(value, Types.TEXT), Types.TEXT);
  }

  /** {@code this AND others...} (for boolean expressions). */
  @SuppressWarnings("unchecked")
  public Expression<Boolean> and(Expression<Boolean>... others) {
    List<Expression<Boolean>> all = new ArrayList<>();
    all.add(asBoolean());
    all.addAll(Arrays.asList(others));
    return new BooleanList("AND", all);
  }

  /** {@code this OR others...} (for boolean expressions). */
  @SuppressWarnings("unchecked")
  public Expression<Boolean> or(Expression<Boolean>... others) {
    List<Expression<Boolean>> all = new ArrayList<>();
    all.add(asBoolean());
    all.addAll(Arrays.asList(others));
    return new BooleanList("OR", all);
  }

  /** {@code NOT this} (for boolean expressions). */
  public Expression<Boolean> not() {
    return new Prefix<>("NOT ", asBoolean(), Types.BOOLEAN);
  }

  @SuppressWarnings("unchecked")
  private Expression<Boolean> asBoolean() {
    return (Expression<Boolean>) (Expression<?>) this;
  }

  /** Gives the expression a name in the result ({@code expr AS name}). */
  public Label<T> label(String name) {
    return new Label<>(this, name);
  }

  /** {@code CAST(this AS type)}. */
  public <R> Expression<R> cast(SqlType<R> to) {
    return new Cast<>(this, to);
  }

  /** Ascending order, for {@code orderBy}. */
  public OrderBy asc() {
    return new OrderBy(this, true, null);
  }

  /** Descending order, for {@code orderBy}. */
  public OrderBy desc() {
    return new OrderBy(this, false, null);
  }

  /** Precedence for parenthesising: higher binds tighter. */
  int precedence() {
    return 100;
  }
}
