package dev.athanor.sql;

import static dev.athanor.sql.Sql.column;
import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The in-memory evaluator: SQL's rules, without a database. */
class EvaluatorTest {
  private final MetaData meta = new MetaData();
  private final Table t =
      meta.table(
          "ev",
          column("id", Types.INTEGER).primaryKey(),
          column("name", Types.TEXT),
          column("n", Types.BIGINT));
  private final Table other = meta.table("ev_other", column("id", Types.INTEGER).primaryKey());
  private final Column<Integer> id = t.c("id");
  private final Column<String> name = t.c("name");
  private final Column<Long> n = t.c("n");

  private Evaluator.RowValues row(Integer i, String s, Long v) {
    Map<Column<?>, Object> m = new HashMap<>();
    m.put(id, i);
    m.put(name, s);
    m.put(n, v);
    return m::get;
  }

  private boolean test(Expression<Boolean> where, Evaluator.RowValues r) {
    return Evaluator.condition(List.of(where)).test(r);
  }

  @Test
  void comparisonsCompareNumbersByValueAndNullMatchesNothing() {
    assertTrue(test(id.eq(1), row(1, "a", 5L)));
    assertTrue(test(n.gt(4L), row(1, "a", 5L)));
    assertTrue(test(n.eq(5L), row(1, "a", 5L)));
    assertFalse(test(n.ne(5L), row(1, "a", 5L)));
    // Unknown (NULL) is not a match, and NOT unknown is unknown too.
    assertFalse(test(n.gt(4L), row(1, "a", null)));
    assertFalse(test(Sql.not(n.gt(4L)), row(1, "a", null)));
    assertTrue(test(n.isNull(), row(1, "a", null)));
    assertTrue(test(name.isNotNull(), row(1, "a", null)));
  }

  @Test
  void andOrAndInFollowThreeValuedLogic() {
    Evaluator.RowValues r = row(1, null, 5L);
    assertTrue(test(Sql.or(name.eq("x"), n.eq(5L)), r)); // unknown OR true
    assertFalse(test(Sql.and(name.eq("x"), n.eq(5L)), r)); // unknown AND true
    assertTrue(test(id.in(List.of(3, 1)), r));
    assertFalse(test(id.notIn(List.of(3, 1)), r));
    assertFalse(test(name.in(List.of("a")), r));
  }

  @Test
  void binaryValuesCompareByContentAsUnsignedBytes() {
    Table b = meta.table("ev_bin", column("k", Types.BYTES).primaryKey());
    Column<byte[]> k = b.c("k");
    Evaluator.RowValues r = c -> new byte[] {1, (byte) 0x80};
    assertTrue(test(k.eq(new byte[] {1, (byte) 0x80}), r)); // another array, the same bytes
    assertFalse(test(k.eq(new byte[] {1}), r));
    assertTrue(test(k.in(List.of(new byte[] {2}, new byte[] {1, (byte) 0x80})), r));
    // 0x80 is 128, above 0x7f, as the databases order bytea / VARBINARY; a prefix sorts first.
    assertTrue(test(k.gt(new byte[] {1, 0x7f}), r));
    assertTrue(test(k.gt(new byte[] {1}), r));
    assertTrue(test(k.lt(new byte[] {2}), r));
  }

  @Test
  void timestampsWithAnOffsetCompareAsInstants() {
    Table z = meta.table("ev_tz", column("at", Types.TIMESTAMPTZ).primaryKey());
    Column<java.time.OffsetDateTime> at = z.c("at");
    Evaluator.RowValues r = c -> java.time.OffsetDateTime.parse("2026-12-04T12:00+02:00");
    assertTrue(test(at.eq(java.time.OffsetDateTime.parse("2026-12-04T10:00Z")), r));
    assertTrue(test(at.lt(java.time.OffsetDateTime.parse("2026-12-04T11:00+00:30")), r));
    assertFalse(test(at.eq(java.time.OffsetDateTime.parse("2026-12-04T12:00Z")), r));
  }

  @Test
  void valuesComputeArithmeticAndConcatenation() {
    Evaluator.RowValues r = row(7, "ab", 10L);
    assertEquals(11L, Evaluator.value(n.plus(1L)).apply(r));
    assertEquals(3, Evaluator.value(id.div(2)).apply(r)); // integer division truncates
    assertEquals("abc", Evaluator.value(name.concat("c")).apply(r));
    assertEquals("plain", Evaluator.value("plain").apply(r));
    assertNull(Evaluator.value(n.plus(1L)).apply(row(1, "a", null)));
  }

  @Test
  void whatItCannotEvaluateIsRefusedBeforeAnyRowIsSeen() {
    assertThrows(
        Evaluator.Unevaluable.class, () -> Evaluator.condition(List.of(Func.lower(name).eq("a"))));
    assertThrows(Evaluator.Unevaluable.class, () -> Evaluator.condition(List.of(name.like("a%"))));
    Column<Integer> otherId = other.c("id");
    Evaluator.Unevaluable e =
        assertThrows(
            Evaluator.Unevaluable.class,
            () -> Evaluator.condition(List.of(otherId.eq(1)), c -> c.table() == t));
    assertTrue(e.getMessage().contains("fetch"), e.getMessage());
  }
}
