package dev.athanor.extension;

import static dev.athanor.sql.Sql.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.athanor.error.CompileException;
import dev.athanor.sql.CompiledStatement;
import dev.athanor.sql.CustomExpression;
import dev.athanor.sql.Dialect;
import dev.athanor.sql.Evaluator;
import dev.athanor.sql.Expression;
import dev.athanor.sql.MetaData;
import dev.athanor.sql.Select;
import dev.athanor.sql.SqlWriter;
import dev.athanor.sql.Table;
import dev.athanor.sql.Types;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Custom expressions written from outside the {@code sql} package, as a program writes them: the
 * SQL they write per dialect, their values bound, their place in the compiled-statement cache.
 */
class CustomExpressionTest {
  private final MetaData md = new MetaData();
  private final Table users =
      md.table("users", column("id", Types.INTEGER).primaryKey(), column("name", Types.string(30)));
  private final Expression<Integer> id = users.c("id");
  private final Expression<String> name = users.c("name");

  /** string_agg on PostgreSQL, LISTAGG on H2. */
  static final class StringAgg extends CustomExpression<String> {
    StringAgg(Expression<String> value, String separator) {
      super(Types.TEXT, value, literal(separator));
    }

    @Override
    protected void render(SqlWriter out) {
      out.sql(out.dialect().isH2() ? "LISTAGG(" : "string_agg(").part(0).sql(", ").part(1).sql(")");
    }
  }

  /** A function whose name is a setting: the name takes part in the shape. */
  static final class Named extends CustomExpression<Integer> {
    private final String fn;

    Named(String fn, Expression<Integer> arg) {
      super(Types.INTEGER, arg);
      this.fn = fn;
    }

    @Override
    protected void render(SqlWriter out) {
      out.sql(fn).sql("(").part(0).sql(")");
    }

    @Override
    protected Object shapeKey() {
      return fn;
    }
  }

  @Test
  void writesItsSqlPerDialectWithPartsAndValuesBound() {
    Select s = select(new StringAgg(name, ", ")).where(id.gt(3));
    CompiledStatement pg = s.compile(Dialect.POSTGRESQL);
    assertEquals("SELECT string_agg(users.name, $1) FROM users WHERE users.id > $2", pg.sql());
    assertEquals(
        List.of(", ", 3),
        pg.slots().stream().map(b -> b.carriedValue(s.shape().values())).toList());
    assertEquals(
        "SELECT LISTAGG(users.name, ?) FROM users WHERE users.id > ?",
        s.compile(Dialect.H2).sql().replaceAll("\\$\\d+", "?"));
  }

  @Test
  void partsWithAnOperatorAreParenthesised() {
    Select s = select(new Named("abs", id.minus(10)));
    assertEquals("SELECT abs((users.id - $1)) FROM users", s.compile(Dialect.POSTGRESQL).sql());
  }

  @Test
  void fromIsInferredFromItsParts() {
    String sql = select(new Named("abs", id)).compile(Dialect.POSTGRESQL).sql();
    assertTrue(sql.endsWith(" FROM users"), sql);
  }

  @Test
  void sameStructureSharesAShapeAndSettingsInTheShapeKeyDoNot() {
    Select a = select(new StringAgg(name, ", "));
    Select b = select(new StringAgg(name, "; "));
    assertEquals(a.shape().key(), b.shape().key(), "values are carried, not part of the key");
    assertEquals(List.of("; "), b.shape().values());

    Select abs = select(new Named("abs", id));
    Select sign = select(new Named("sign", id));
    assertNotEquals(abs.shape().key(), sign.shape().key());
    assertEquals(abs.shape().key(), select(new Named("abs", id)).shape().key());
  }

  @Test
  void usableInWhereOrderByAndValues() {
    Named abs = new Named("abs", id);
    assertEquals(
        "SELECT users.id FROM users WHERE abs(users.id) > $1 ORDER BY abs(users.id) DESC",
        select(id).where(abs.gt(2)).orderBy(abs.desc()).compile(Dialect.POSTGRESQL).sql());
    assertEquals(
        "UPDATE users SET id = abs(id)",
        update(users).values(java.util.Map.of("id", abs)).compile(Dialect.POSTGRESQL).sql());
  }

  @Test
  void askingForAPartItWasNotGivenIsAClearCompileError() {
    CustomExpression<Integer> bad =
        new CustomExpression<>(Types.INTEGER, id) {
          @Override
          protected void render(SqlWriter out) {
            out.part(0).sql(" + ").part(1);
          }
        };
    CompileException e =
        assertThrows(CompileException.class, () -> select(bad).compile(Dialect.POSTGRESQL));
    assertTrue(
        e.getMessage().contains("asked for part 1 but was made with 1 part"), e.getMessage());
  }

  @Test
  void theInMemoryEvaluatorRefusesItByName() {
    Evaluator.Unevaluable e =
        assertThrows(
            Evaluator.Unevaluable.class,
            () -> Evaluator.condition(List.of(new Named("abs", id).gt(1))));
    assertTrue(e.getMessage().contains("Named"), e.getMessage());
  }
}
