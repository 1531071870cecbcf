package dev.athanor.sql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The entry points of the expression language; import them statically.
 *
 * <pre>{@code
 * import static dev.athanor.sql.Sql.*;
 *
 * select(users.c("id"), users.c("name")).where(users.c("name").eq("spongebob"));
 * insert(users).values(Map.of("name", "sandy"));
 * text("SELECT * FROM users WHERE id = :id");
 * }</pre>
 */
public final class Sql {
  private Sql() {}

  /** Declares a column; see {@link Column}. */
  public static <T> Column<T> column(String name, SqlType<T> type) {
    return new Column<>(name, type);
  }

  /**
   * A SELECT of columns, expressions or whole tables; a mapped class ({@code select(User.class)})
   * selects its objects.
   */
  public static Select select(Object... columns) {
    return Select.of(columns);
  }

  /** An INSERT into the table a source stands for (an ORM's mapped class). */
  public static Insert insert(FromSource target) {
    return insert(Coercions.table(target, "insert")).annotated(target);
  }

  /** An UPDATE of the table a source stands for. */
  public static Update update(FromSource target) {
    return update(Coercions.table(target, "update")).annotated(target);
  }

  /** A DELETE from the table a source stands for. */
  public static Delete delete(FromSource target) {
    return delete(Coercions.table(target, "delete")).annotated(target);
  }

  /** An INSERT into the table of a mapped class (the ORM's {@code insert(User)}). */
  public static Insert insert(Class<?> mapped) {
    return insert(dev.athanor.sql.internal.ClassSources.require(mapped, "insert"));
  }

  /** An UPDATE of the table of a mapped class (the ORM's bulk {@code update(User)}). */
  public static Update update(Class<?> mapped) {
    return update(dev.athanor.sql.internal.ClassSources.require(mapped, "update"));
  }

  /** A DELETE from the table of a mapped class (the ORM's bulk {@code delete(User)}). */
  public static Delete delete(Class<?> mapped) {
    return delete(dev.athanor.sql.internal.ClassSources.require(mapped, "delete"));
  }

  /** An INSERT into a table. */
  public static Insert insert(Table table) {
    return new Insert(table, List.of(), List.of(), null, List.of(), StatementMeta.NONE);
  }

  /** An UPDATE of a table. */
  public static Update update(Table table) {
    return new Update(table, Map.of(), List.of(), List.of(), StatementMeta.NONE);
  }

  /** A DELETE from a table. */
  public static Delete delete(Table table) {
    return new Delete(table, List.of(), List.of(), StatementMeta.NONE);
  }

  /** Literal SQL with {@code :name} parameters; see {@link TextClause}. */
  public static TextClause text(String sql) {
    return new TextClause(sql, Map.of());
  }

  /** A value sent as a bound parameter, typed by its Java class. */
  public static <T> Expression<T> literal(T value) {
    return new BindValue<>(value, Types.forValue(value));
  }

  /** A value sent as a bound parameter of a given type. */
  public static <T> Expression<T> literal(@Nullable T value, SqlType<T> type) {
    return value == null ? new Null<>(type) : new BindValue<>(value, type);
  }

  /** SQL {@code NULL}. */
  public static Expression<Object> nullValue() {
    return new Null<>(Types.NULLTYPE);
  }

  /**
   * SQL text written by the program and used as is, e.g. a server default {@code literalSql("0")}.
   * Never pass user input here: it is not escaped.
   */
  public static Expression<Object> literalSql(String sql) {
    return new LiteralSql<>(sql, Types.NULLTYPE);
  }

  /** A named parameter whose value is given at execution time. */
  public static <T> BindParam<T> bindparam(String name, SqlType<T> type) {
    return new BindParam<>(name, type);
  }

  /** A named parameter of unknown type (bound with the value's own type). */
  public static BindParam<Object> bindparam(String name) {
    return new BindParam<>(name, Types.NULLTYPE);
  }

  /** {@code a AND b AND ...}; {@code 1 = 1} when empty. */
  @SafeVarargs
  public static Expression<Boolean> and(ExpressionSource<Boolean>... conditions) {
    return new BooleanList("AND", Coercions.expressions(Arrays.asList(conditions)));
  }

  /** {@code a OR b OR ...}; {@code 1 = 0} when empty. */
  @SafeVarargs
  public static Expression<Boolean> or(ExpressionSource<Boolean>... conditions) {
    return new BooleanList("OR", Coercions.expressions(Arrays.asList(conditions)));
  }

  /** {@code NOT condition}. */
  public static Expression<Boolean> not(ExpressionSource<Boolean> condition) {
    return Coercions.expression(condition).not();
  }

  /** {@code CAST(expr AS type)}. */
  public static <T> Expression<T> cast(Expression<?> expr, SqlType<T> type) {
    return expr.cast(type);
  }

  /** {@code EXISTS (select)}. */
  public static Expression<Boolean> exists(Select select) {
    return select.exists();
  }

  /**
   * Starts {@code CASE WHEN condition THEN value}; add branches with {@code when}, {@code
   * otherwise}.
   */
  public static <T> Case<T> caseWhen(Expression<Boolean> condition, T value) {
    SqlType<T> type = Types.forValue(value);
    return new Case<T>(List.of(), List.of(), null, type).when(condition, value);
  }

  /** {@code a UNION b UNION ...}. */
  public static CompoundSelect union(Select first, Select... others) {
    return first.union(others);
  }

  /** {@code a UNION ALL b UNION ALL ...}. */
  public static CompoundSelect unionAll(Select first, Select... others) {
    return first.unionAll(others);
  }

  /** A table-level primary key over several columns. */
  public static Constraint.PrimaryKey primaryKey(String... columns) {
    return new Constraint.PrimaryKey(null, List.of(columns));
  }

  /** A table-level UNIQUE constraint. */
  public static Constraint.Unique unique(String... columns) {
    return new Constraint.Unique(null, List.of(columns));
  }

  /** A named CHECK constraint; the condition is SQL written by the program. */
  public static Constraint.Check check(String name, String condition) {
    return new Constraint.Check(name, condition);
  }

  /** A (possibly composite) foreign key. */
  public static Constraint.ForeignKey foreignKey(
      List<String> columns, String targetTable, List<String> targetColumns) {
    return new Constraint.ForeignKey(null, columns, targetTable, targetColumns, null);
  }

  /** A named (possibly composite) foreign key. */
  public static Constraint.ForeignKey foreignKey(
      String name, List<String> columns, String targetTable, List<String> targetColumns) {
    return new Constraint.ForeignKey(name, columns, targetTable, targetColumns, null);
  }

  /** An index. */
  public static Constraint.Index index(String name, String... columns) {
    return new Constraint.Index(name, List.of(columns), false);
  }

  /** A unique index. */
  public static Constraint.Index uniqueIndex(String name, String... columns) {
    return new Constraint.Index(name, List.of(columns), true);
  }

  static Expression<?> asExpression(@Nullable Object o) {
    if (o instanceof Expression<?> e) {
      return e;
    }
    return o == null ? nullValue() : literal(o);
  }

  static <E> List<E> concat(List<E> a, List<? extends E> b) {
    List<E> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
