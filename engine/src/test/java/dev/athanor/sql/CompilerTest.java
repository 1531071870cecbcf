package dev.athanor.sql;

import static dev.athanor.sql.Sql.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.athanor.error.ArgumentException;
import dev.athanor.error.CompileException;
import dev.athanor.error.InvalidRequestException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the compiler writes, on both dialects; no database. */
class CompilerTest {
  private final MetaData md = new MetaData();
  private final Table users =
      md.table(
          "users",
          column("id", Types.INTEGER).primaryKey(),
          column("name", Types.string(30)).notNull(),
          column("order", Types.INTEGER));
  private final Table addresses =
      md.table(
          "addresses",
          column("id", Types.INTEGER).primaryKey(),
          column("user_id", Types.INTEGER).references("users.id", "CASCADE"),
          column("email", Types.TEXT));
  private final Column<Integer> id = users.c("id");
  private final Column<String> name = users.c("name");

  private static String pg(Executable e) {
    return e.compile(Dialect.POSTGRESQL).sql();
  }

  private static String h2(Executable e) {
    return e.compile(Dialect.H2).sql();
  }

  @Test
  void selectWithWhereOrderLimitAndValuesAlwaysBound() {
    Select s =
        select(id, name)
            .where(name.eq("jack").or(id.gt(5)), id.ne(3))
            .orderBy(name.desc().nullsLast())
            .limit(10)
            .offset(5);
    CompiledStatement c = s.compile(Dialect.POSTGRESQL);
    assertEquals(
        "SELECT users.id, users.name FROM users WHERE (users.name = $1 OR users.id > $2) AND users.id <> $3 "
            + "ORDER BY users.name DESC NULLS LAST LIMIT $4 OFFSET $5",
        c.sql());
    List<?> carried = s.shape().values();
    assertEquals(
        List.of("jack", 5, 3, 10L, 5L),
        c.slots().stream().map(b -> b.carriedValue(carried)).toList());
    assertEquals(CompiledStatement.Kind.SELECT, c.kind());
    assertEquals(List.of(id, name), c.resultColumns());
  }

  @Test
  void reservedAndMixedCaseIdentifiersAreQuoted() {
    assertEquals("SELECT users.\"order\" FROM users", pg(select(users.c("order"))));
    Table t = new MetaData().table("Weird \"Name\"", column("select", Types.INTEGER));
    assertEquals(
        "SELECT \"Weird \"\"Name\"\"\".\"select\" FROM \"Weird \"\"Name\"\"\"", pg(select(t)));
  }

  @Test
  void injectionThroughValuesStaysInParameters() {
    String evil = "'; DROP TABLE users; --";
    Select s = select(id).where(name.eq(evil));
    CompiledStatement c = s.compile(Dialect.POSTGRESQL);
    assertFalse(c.sql().contains("DROP"));
    assertEquals(evil, c.slots().get(0).carriedValue(s.shape().values()));
  }

  @Test
  void joinsGroupByHavingAndAliases() {
    Column<Integer> uid = addresses.c("user_id");
    Select s =
        select(name, Func.count(addresses.c("id")).label("n"))
            .outerJoin(addresses, uid.eq(id))
            .groupBy(name)
            .having(Func.count(addresses.c("id")).gt(1L))
            .orderBy(Func.count(addresses.c("id")).label("n").desc());
    assertEquals(
        "SELECT users.name, count(addresses.id) AS n FROM users LEFT OUTER JOIN addresses ON addresses.user_id = users.id "
            + "GROUP BY users.name HAVING count(addresses.id) > $1 ORDER BY n DESC",
        pg(s));
    TableAlias u2 = users.alias("u2");
    assertEquals(
        "SELECT users.name, u2.name FROM users, users AS u2 WHERE u2.id = users.id",
        pg(select(name, u2.c("name")).where(u2.<Integer>c("id").eq(id))));
  }

  @Test
  void subqueriesCtesExistsAndCorrelation() {
    Column<Integer> uid = addresses.c("user_id");
    assertEquals(
        "SELECT users.name FROM users WHERE EXISTS (SELECT addresses.id FROM addresses WHERE addresses.user_id = users.id)",
        pg(select(name).where(select(addresses.c("id")).where(uid.eq(id)).exists())));
    Subquery big = select(id).where(id.gt(1)).cte("big");
    assertEquals(
        "WITH big AS (SELECT users.id FROM users WHERE users.id > $1) SELECT users.name FROM users JOIN big ON big.id = users.id",
        pg(select(name).join(big, big.<Integer>c("id").eq(id))));
    assertEquals(
        "SELECT users.name, (SELECT count(*) FROM addresses WHERE addresses.user_id = users.id) AS n FROM users",
        pg(
            select(
                name,
                select(Func.count())
                    .selectFrom(addresses)
                    .where(uid.eq(id))
                    .scalarSubquery()
                    .label("n"))));
    assertEquals(
        "SELECT users.id FROM users WHERE users.id IN (SELECT addresses.user_id FROM addresses)",
        pg(select(id).where(id.in(select(uid)))));
    assertEquals(
        "SELECT users.name FROM users UNION ALL SELECT addresses.email FROM addresses ORDER BY name ASC",
        pg(select(name).unionAll(select(addresses.c("email"))).orderBy(name)));
  }

  @Test
  void operatorsInBetweenLikeNullCaseCast() {
    assertEquals(
        "SELECT users.id FROM users WHERE users.id IN ($1, $2) AND users.id BETWEEN $3 AND $4 "
            + "AND users.name ILIKE $5 AND users.name IS NULL AND NOT users.name LIKE $6",
        pg(
            select(id)
                .where(
                    id.in(1, 2),
                    id.between(1, 9),
                    name.ilike("%j%"),
                    name.eq((String) null),
                    name.like("x%").not())));
    assertEquals("SELECT users.id FROM users WHERE 1 = 0", pg(select(id).where(id.in(List.of()))));
    assertEquals(
        "SELECT CASE WHEN users.id = $1 THEN $2 ELSE $3 END, CAST(users.id AS VARCHAR(5)) FROM users",
        pg(select(caseWhen(id.eq(1), "one").otherwise("many"), id.cast(Types.string(5)))));
    assertEquals("SELECT (users.id + $1) * $2 FROM users", pg(select(id.plus(1).times(2))));
  }

  @Test
  void insertUpdateDeleteAndReturningPerDialect() {
    Insert ins = insert(users).values(Map.of("name", "x")).returning(id);
    assertEquals("INSERT INTO users (name) VALUES ($1) RETURNING id", pg(ins));
    assertEquals("SELECT id FROM FINAL TABLE (INSERT INTO users (name) VALUES ($1))", h2(ins));
    assertEquals(
        "INSERT INTO users (id, name) VALUES ($1, $2), ($3, $4)",
        pg(
            insert(users)
                .values(
                    List.of(
                        new java.util.TreeMap<>(Map.of("id", 1, "name", "a")),
                        new java.util.TreeMap<>(Map.of("id", 2, "name", "b"))))));
    assertEquals(
        "INSERT INTO users (name) VALUES ($1)",
        insert(users).compile(Dialect.POSTGRESQL, java.util.Set.of("name")).sql());
    assertEquals("INSERT INTO users DEFAULT VALUES", pg(insert(users)));
    assertEquals(
        "UPDATE users SET name = $1 WHERE users.id = $2 RETURNING name",
        pg(update(users).values(Map.of("name", "y")).where(id.eq(1)).returning(name)));
    assertEquals(
        "SELECT name FROM OLD TABLE (DELETE FROM users WHERE users.id = $1)",
        h2(delete(users).where(id.eq(1)).returning(name)));
    assertEquals(
        "UPDATE users SET name = $1 WHERE users.name = $2",
        update(users)
            .where(name.eq(bindparam("old", Types.string(30))))
            .compile(Dialect.POSTGRESQL, java.util.Set.of("old", "name"))
            .sql());
    CompileException e = assertThrows(CompileException.class, () -> pg(update(users)));
    assertTrue(e.getMessage().contains("nothing to SET"));
  }

  @Test
  void ddlInDependencyOrder() {
    assertEquals(
        List.of("users", "addresses"), md.sortedTables().stream().map(Table::name).toList());
    assertEquals(
        "CREATE TABLE addresses (id INTEGER GENERATED BY DEFAULT AS IDENTITY NOT NULL, user_id INTEGER, email TEXT, "
            + "PRIMARY KEY (id), FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE)",
        pg(Ddl.createTable(addresses)));
    assertTrue(h2(Ddl.createTable(addresses)).contains("email VARCHAR"));
    Table d =
        new MetaData()
            .table(
                "d",
                column("n", Types.INTEGER).serverDefault(literal(0)),
                column("t", Types.TIMESTAMPTZ).serverDefault(Func.now()));
    assertEquals(
        "CREATE TABLE d (n INTEGER DEFAULT 0, t TIMESTAMP WITH TIME ZONE DEFAULT now())",
        pg(Ddl.createTable(d)));
    assertEquals(
        "CREATE TABLE d (n INTEGER DEFAULT 0, t TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP)",
        h2(Ddl.createTable(d)));
  }

  @Test
  void textParametersAndCasts() {
    CompiledStatement c =
        text("SELECT :a::text, ':not' FROM t WHERE x = :b AND y = '\\:z'")
            .compile(Dialect.POSTGRESQL);
    assertEquals("SELECT $1::text, ':not' FROM t WHERE x = $2 AND y = '\\:z'", c.sql());
    assertEquals(List.of("a", "b"), c.slots().stream().map(BindSlot::name).toList());
  }

  @Test
  void misuseIsReportedWithTheFix() {
    ArgumentException e = assertThrows(ArgumentException.class, () -> users.c("nope"));
    assertTrue(e.getMessage().contains("[id, name, order]"));
    assertThrows(ArgumentException.class, () -> md.table("users", column("id", Types.INTEGER)));
    assertThrows(ArgumentException.class, () -> select(new Object()));
    assertThrows(InvalidRequestException.class, () -> id.notNull());
    assertThrows(
        CompileException.class,
        () -> h2(Ddl.createTable(new MetaData().table("j", column("doc", Types.JSON)))));
  }

  @Test
  void executemanyInsertRendersManyRowsOfTheSameParameters() {
    Insert ins = insert(users);
    CompiledStatement c =
        ins.compileManyValues(Dialect.POSTGRESQL, java.util.Set.of("name"), ins.shape(), 3);
    assertEquals("INSERT INTO users (name) VALUES ($1), ($2), ($3)", c.sql());
    assertEquals(List.of("name", "name", "name"), c.slots().stream().map(BindSlot::name).toList());
    assertThrows(
        IllegalStateException.class,
        () ->
            insert(users)
                .values(Map.of("name", "x"))
                .compileManyValues(Dialect.POSTGRESQL, java.util.Set.of(), ins.shape(), 2));
  }

  @Test
  void executemanyInsertWithReturningRendersManyRowsAndOneReturning() {
    Insert ins = insert(users).returning(users.c("id"));
    assertEquals(
        "INSERT INTO users (name) VALUES ($1), ($2) RETURNING id",
        ins.compileManyValues(Dialect.POSTGRESQL, java.util.Set.of("name"), ins.shape(), 2).sql());
    assertEquals(
        "SELECT id FROM FINAL TABLE (INSERT INTO users (name) VALUES ($1), ($2))",
        ins.compileManyValues(Dialect.H2, java.util.Set.of("name"), ins.shape(), 2)
            .sql()
            .replace("\"", ""));
  }

  @Test
  void anUpdateByPrimaryKeyCompilesAsRowsOfValuesWithTypedParameters() {
    Update byKey = update(users).where(id.eq(bindparam("_pk_0", Types.INTEGER)));
    assertEquals(List.of("_pk_0"), UpdateManyValues.keys(byKey));
    CompiledStatement c =
        UpdateManyValues.compile(
            byKey,
            Dialect.POSTGRESQL,
            new java.util.LinkedHashSet<>(List.of("name", "_pk_0")),
            byKey.shape(),
            2);
    assertEquals(
        "UPDATE users SET name = _v.p0 FROM (VALUES ($1::VARCHAR, $2::INTEGER), "
            + "($3::VARCHAR, $4::INTEGER)) AS _v (p0, p1) WHERE users.id = _v.p1",
        c.sql());
    assertEquals(
        List.of("name", "_pk_0", "name", "_pk_0"), c.slots().stream().map(BindSlot::name).toList());
  }

  @Test
  void valuesOfAnUpdateAreCastWithoutTheLengthThatWouldCutThem() {
    assertEquals("VARCHAR", UpdateManyValues.valuesType("VARCHAR(30)"));
    assertEquals("VARCHAR", UpdateManyValues.valuesType("character varying (5)"));
    assertEquals("BPCHAR", UpdateManyValues.valuesType("CHAR(2)"));
    assertEquals("BPCHAR", UpdateManyValues.valuesType("character(2)"));
    assertEquals("VARBIT", UpdateManyValues.valuesType("BIT(8)"));
    assertEquals("VARBIT", UpdateManyValues.valuesType("bit varying(8)"));
    // A precision or scale would round a key onto another row's: dropped too.
    assertEquals("NUMERIC", UpdateManyValues.valuesType("NUMERIC(10, 2)"));
    assertEquals("decimal", UpdateManyValues.valuesType("decimal (5,1)"));
    assertEquals("TIMESTAMP", UpdateManyValues.valuesType("TIMESTAMP(3)"));
    assertEquals(
        "TIMESTAMP WITH TIME ZONE", UpdateManyValues.valuesType("TIMESTAMP(0) WITH TIME ZONE"));
    assertEquals("TIME[]", UpdateManyValues.valuesType("TIME(2) [ ]"));
    assertEquals(
        "INTERVAL DAY TO SECOND", UpdateManyValues.valuesType("INTERVAL DAY TO SECOND(3)"));
    assertEquals("BPCHAR[]", UpdateManyValues.valuesType("CHAR(3)[]"));
    assertEquals("geometry", UpdateManyValues.valuesType("geometry(Point,4326)"));
    // FLOAT(p)'s precision chooses the type itself.
    assertEquals("FLOAT(24)", UpdateManyValues.valuesType("FLOAT(24)"));
    assertEquals("TEXT", UpdateManyValues.valuesType("TEXT"));
    assertEquals("VARCHAR[]", UpdateManyValues.valuesType("VARCHAR(10)[]"));
    assertEquals("BPCHAR[][4]", UpdateManyValues.valuesType("char(2) [] [4]"));
    assertEquals("INTEGER[]", UpdateManyValues.valuesType("INTEGER[]"));
  }

  @Test
  void anUpdateOfAnotherShapeIsNotSentAsValues() {
    // Not the whole key, not a parameter, values of its own, RETURNING, no WHERE.
    assertNull(
        UpdateManyValues.keys(update(users).where(name.eq(bindparam("n", Types.string(30))))));
    assertNull(UpdateManyValues.keys(update(users).where(id.eq(3))));
    assertNull(
        UpdateManyValues.keys(
            update(users).values(Map.of("name", "x")).where(id.eq(bindparam("k", Types.INTEGER)))));
    assertNull(
        UpdateManyValues.keys(
            update(users).where(id.eq(bindparam("k", Types.INTEGER))).returning(id)));
    assertNull(UpdateManyValues.keys(update(users)));
    assertNull(UpdateManyValues.keys(update(users).where(id.gt(bindparam("k", Types.INTEGER)))));
  }
}
