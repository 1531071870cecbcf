package dev.athanor.sql;

import static dev.athanor.sql.Sql.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Statement shapes: what makes two statements share a compilation, and what does not. */
class StatementShapeTest {
  private final MetaData md = new MetaData();
  private final Table users =
      md.table("users", column("id", Types.INTEGER).primaryKey(), column("name", Types.string(30)));
  private final Table addresses =
      md.table(
          "addresses",
          column("id", Types.INTEGER).primaryKey(),
          column("user_id", Types.INTEGER).references("users.id"),
          column("email", Types.TEXT));
  private final Column<Integer> id = users.c("id");
  private final Column<String> name = users.c("name");

  private static void sameShape(Statement a, Statement b) {
    assertEquals(a.shape().key(), b.shape().key(), () -> a + "  vs  " + b);
    assertEquals(a.shape().key().hashCode(), b.shape().key().hashCode());
  }

  private static void otherShape(Statement a, Statement b) {
    assertNotEquals(a.shape().key(), b.shape().key(), () -> a + "  vs  " + b);
  }

  /** Binds {@code b}'s values into the compilation of {@code a}: what the cache does on a hit. */
  private static List<Object> boundFromCompilationOfOther(Statement a, Statement b) {
    CompiledStatement c = a.compile(Dialect.POSTGRESQL);
    assertEquals(c.sql(), b.compile(Dialect.POSTGRESQL).sql());
    List<?> values = b.shape().values();
    return c.slots().stream().map(s -> s.carriedValue(values)).toList();
  }

  @Test
  void statementsBuiltAgainWithOtherValuesShareAShape() {
    IntFunction<Select> byId =
        n -> select(users).where(id.eq(n), name.like("j%" + n)).orderBy(id).limit(n).offset(2 * n);
    sameShape(byId.apply(1), byId.apply(2));
    assertEquals(List.of(2, "j%2", 2L, 4L), byId.apply(2).shape().values());
    assertEquals(
        List.of(7, "j%7", 7L, 14L), boundFromCompilationOfOther(byId.apply(1), byId.apply(7)));
  }

  @Test
  void structureOperatorsColumnsAndOptionalPartsChangeTheShape() {
    otherShape(select(users).where(id.eq(1)), select(users).where(id.ne(1)));
    otherShape(select(users).where(id.eq(1)), select(users).where(id.eq(1), name.eq("a")));
    otherShape(select(id), select(name));
    otherShape(select(users).where(id.eq(1)), select(users).where(id.eq((Integer) null)));
    otherShape(select(users), select(users).limit(1));
    otherShape(select(users).limit(1), select(users).offset(1));
    otherShape(select(users), select(users).distinct());
    otherShape(select(id).where(id.in(List.of(1, 2))), select(id).where(id.in(List.of(1, 2, 3))));
    otherShape(select(id.label("a")), select(id.label("b")));
    otherShape(select(users).orderBy(id.asc()), select(users).orderBy(id.desc()));
    otherShape(select(id).where(id.eq(1)), select(id).where(literal(1).eq(id)));
  }

  @Test
  void aliasesAndSubqueriesMadePerRequestShareAShape() {
    IntFunction<Select> q =
        n -> {
          TableAlias u = users.alias("u");
          Subquery counts =
              select(addresses.c("user_id"), Func.count().label("n"))
                  .where(addresses.c("email").like("%" + n))
                  .groupBy(addresses.c("user_id"))
                  .subquery("counts");
          return select(u.c("name"), counts.c("n"))
              .where(u.c("id").eq(counts.c("user_id")), u.c("id").gt(n));
        };
    sameShape(q.apply(1), q.apply(2));
    assertEquals(List.of("%9", 9), boundFromCompilationOfOther(q.apply(1), q.apply(9)));
    otherShape(select(users.alias("u").c("id")), select(users.alias("v").c("id")));
  }

  @Test
  void aValueSharedByTwoPlacesIsPartOfTheShape() {
    Expression<Integer> shared = literal(5);
    Select twice = select(users).where(id.eq(shared), id.ne(shared));
    Select apart = select(users).where(id.eq(literal(5)), id.ne(literal(5)));
    otherShape(twice, apart);
    assertEquals(List.of(5), twice.shape().values());
    assertEquals(List.of(5, 5), apart.shape().values());

    Expression<Integer> other = literal(8);
    assertEquals(
        List.of(8, 8),
        boundFromCompilationOfOther(twice, select(users).where(id.eq(other), id.ne(other))));
  }

  @Test
  void insertAndUpdateValuesAreCarriedNotShaped() {
    sameShape(
        insert(users).values(Map.of("id", 1, "name", "a")),
        insert(users).values(Map.of("id", 2, "name", "b")));
    otherShape(
        insert(users).values(Map.of("id", 1, "name", "a")), insert(users).values(Map.of("id", 1)));
    otherShape(
        insert(users).values(Map.of("id", 1, "name", "a")),
        insert(users)
            .values(
                java.util.Arrays.asList(
                    Map.of("id", 1, "name", "a"), Map.of("id", 2, "name", "b"))));
    Update u1 = update(users).values(Map.of("name", "x")).where(id.eq(1));
    Update u2 = update(users).values(Map.of("name", "y")).where(id.eq(2));
    sameShape(u1, u2);
    assertEquals(List.of("y", 2), boundFromCompilationOfOther(u1, u2));
    Insert withNull = insert(users).values(java.util.Collections.singletonMap("name", null));
    otherShape(withNull, insert(users).values(Map.of("name", "z")));
  }

  @Test
  void textualSqlIsShapedByItsText() {
    assertEquals(text("SELECT :a").shape().key(), text("SELECT :a").bind("a", 1).shape().key());
    assertNotEquals(text("SELECT :a").shape().key(), text("SELECT :b").shape().key());
  }

  @Test
  void compoundLimitIsBound() {
    CompoundSelect u = select(id).union(select(id)).limit(3);
    assertEquals(
        "SELECT users.id FROM users UNION SELECT users.id FROM users LIMIT $1",
        u.compile(Dialect.POSTGRESQL).sql());
    assertEquals(List.of(3L), u.shape().values());
    assertThrows(
        dev.athanor.error.ArgumentException.class, () -> select(id).union(select(id)).limit(-1));
  }
}
