package dev.athanor.session;

import static dev.athanor.session.States.pending;
import static dev.athanor.session.States.persistent;
import static org.junit.jupiter.api.Assertions.*;

import dev.athanor.sql.Dialect;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Flush plans, in plain Java: what a flush would send, without a database. */
class FlushPlanTest {
  @Entity(table = "fp_child")
  static class Child {
    @Id Long id;

    @Column(references = "fp_parent.id")
    Long parentId;

    String name;

    @Version Integer version;

    Child() {}

    Child(Long parentId, String name) {
      this.parentId = parentId;
      this.name = name;
    }
  }

  @Entity(table = "fp_parent")
  static class Parent {
    @Id Long id;

    @Column(serverDefault = "'new'", length = 10)
    String state;

    String name;

    Parent() {}

    Parent(String name) {
      this.name = name;
    }
  }

  @Entity(table = "fp_lazy", eagerDefaults = false)
  static class Lazy {
    @Id Long id;

    @Column(serverDefault = "'new'", length = 10)
    String state;

    Lazy() {}
  }

  /** More attributes than a 64-bit mask holds: the plan tells rows apart past the 64th. */
  @Entity(table = "fp_wide")
  static class Wide {
    @Id Long id;

    Integer a0,
        a1,
        a2,
        a3,
        a4,
        a5,
        a6,
        a7,
        a8,
        a9,
        a10,
        a11,
        a12,
        a13,
        a14,
        a15,
        a16,
        a17,
        a18,
        a19,
        a20,
        a21,
        a22,
        a23,
        a24,
        a25,
        a26,
        a27,
        a28,
        a29,
        a30,
        a31,
        a32,
        a33,
        a34,
        a35,
        a36,
        a37,
        a38,
        a39,
        a40,
        a41,
        a42,
        a43,
        a44,
        a45,
        a46,
        a47,
        a48,
        a49,
        a50,
        a51,
        a52,
        a53,
        a54,
        a55,
        a56,
        a57,
        a58,
        a59,
        a60,
        a61,
        a62,
        a63,
        a64,
        a65,
        a66,
        a67,
        a68,
        a69;

    @Column(serverDefault = "0")
    Integer tail;

    Wide() {}
  }

  private static final Registry REGISTRY = new Registry();

  static {
    REGISTRY.map(Lazy.class);
    REGISTRY.map(Wide.class);
    // The child is mapped first: the plan must still put the parent's INSERT first.
    REGISTRY.map(Child.class);
    REGISTRY.map(Parent.class);
  }

  /** The error a step raises when its statement matched {@code rows} rows. */
  private static dev.athanor.error.StaleDataException staleAfter(FlushPlan.Step step, long rows) {
    return assertThrows(
        dev.athanor.error.StaleDataException.class,
        () ->
            step.record(
                dev.athanor.result.Result.ofOutcome(
                    new dev.athanor.result.StatementOutcome(rows, false, null, List.of()))));
  }

  private static String sql(FlushPlan.Step step) {
    return step.statement.compile(Dialect.POSTGRESQL, step.params.get(0).keySet()).sql();
  }

  @Test
  void insertsGoParentsFirstAndReturnKeysAndServerDefaults() {
    FlushPlan plan =
        FlushPlan.of(
            List.of(pending(new Child(1L, "c")), pending(new Parent("p"))), List.of(), List.of());
    List<FlushPlan.Step> steps = plan.steps();
    assertEquals(2, steps.size());
    assertEquals(Parent.class, steps.get(0).mapper.type());
    assertEquals("INSERT INTO fp_parent (name) VALUES ($1) RETURNING id, state", sql(steps.get(0)));
    // The version counter starts at 1.
    assertEquals(
        "INSERT INTO fp_child (parent_id, name, version) VALUES ($1, $2, $3) RETURNING id",
        sql(steps.get(1)));
    assertEquals(1, steps.get(1).params.get(0).get("version"));
  }

  @Test
  void withoutEagerDefaultsAServerDefaultIsNeitherSentNorReadBackButExpired() {
    FlushPlan plan = FlushPlan.of(List.of(pending(new Lazy())), List.of(), List.of());
    FlushPlan.Step step = plan.steps().get(0);
    assertEquals("INSERT INTO fp_lazy DEFAULT VALUES RETURNING id", sql(step));
    assertEquals(List.of("state"), step.deferred.stream().map(Attribute::name).toList());
  }

  @Test
  void consecutiveObjectsWithTheSameColumnsShareOneStatement() {
    Parent given = new Parent("b");
    given.state = "old";
    FlushPlan plan =
        FlushPlan.of(
            List.of(
                pending(new Parent("a")),
                pending(new Parent("c")),
                pending(given),
                pending(new Parent("d"))),
            List.of(),
            List.of());
    assertEquals(List.of(2, 1, 1), plan.steps().stream().map(s -> s.params.size()).toList());
  }

  @Test
  void rowsOfAWideClassShareAStatementOnlyWhenTheySendTheSameColumns() {
    Wide plain = new Wide();
    plain.a0 = 1;
    plain.a69 = 69;
    Wide same = new Wide();
    same.a0 = 2;
    same.a69 = 70;
    Wide withTail = new Wide();
    withTail.a0 = 3;
    withTail.tail = 5; // sent, where the others let the server fill it and read it back
    Wide again = new Wide();
    again.a0 = 4;
    FlushPlan plan =
        FlushPlan.of(
            List.of(pending(plain), pending(same), pending(withTail), pending(again)),
            List.of(),
            List.of());
    List<FlushPlan.Step> steps = plan.steps();
    assertEquals(List.of(2, 1, 1), steps.stream().map(s -> s.params.size()).toList());
    assertEquals(
        List.of("tail"),
        steps.get(0).returned.stream().map(Attribute::name).toList().subList(1, 2));
    assertEquals(List.of("id"), steps.get(1).returned.stream().map(Attribute::name).toList());
    assertEquals(5, steps.get(1).params.get(0).get("tail"));
    assertEquals(70, steps.get(0).params.get(1).get("a69"));
    assertNull(steps.get(0).params.get(1).get("a5"));
    assertTrue(steps.get(0).params.get(1).containsKey("a5"));
    assertFalse(steps.get(0).params.get(1).containsKey("tail"));
    assertTrue(sql(steps.get(1)).endsWith("RETURNING id"), sql(steps.get(1)));
    assertTrue(sql(steps.get(0)).endsWith("RETURNING id, tail"), sql(steps.get(0)));
  }

  @Test
  void updatesSetOnlyTheChangedColumnsAndCheckTheVersion() {
    Child a = new Child(1L, "a");
    a.id = 10L;
    a.version = 3;
    Child b = new Child(1L, "b");
    b.id = 11L;
    b.version = 5;
    Child c = new Child(1L, "c");
    c.id = 12L;
    c.version = 1;
    InstanceState sa = persistent(a);
    InstanceState sb = persistent(b);
    InstanceState sc = persistent(c);
    a.name = "A";
    b.name = "B";
    FlushPlan plan = FlushPlan.of(List.of(), List.of(sa, sb, sc), List.of());
    assertEquals(1, plan.steps().size());
    FlushPlan.Step step = plan.steps().get(0);
    assertEquals(FlushPlan.Kind.UPDATE, step.kind);
    assertEquals(2, step.expectedRows);
    assertEquals(
        "UPDATE fp_child SET name = $1, version = $2 WHERE fp_child.id = $3 AND fp_child.version = $4",
        sql(step));
    assertEquals(
        Map.of("name", "A", "_pk_0", 10L, "_version", 3, "version", 4), step.params.get(0));
  }

  @Test
  void objectsOfEachIdentityTokenAreWrittenByStepsOfTheirOwn() {
    // Rows with one key from two databases (shards): each token's UPDATE and DELETE is a step of
    // its own, so that it can be routed to the database the object came from.
    Parent a1 = new Parent("a1");
    a1.id = 1L;
    Parent b1 = new Parent("b1");
    b1.id = 1L;
    Parent b2 = new Parent("b2");
    b2.id = 2L;
    InstanceState sa1 = persistent(a1);
    InstanceState sb1 = tokened(b1, "b");
    InstanceState sb2 = tokened(b2, "b");
    assertNotEquals(sa1.key, sb1.key);
    a1.name = "A";
    b1.name = "B";
    b2.name = "B";
    FlushPlan plan = FlushPlan.of(List.of(), List.of(sa1, sb1, sb2), List.of());
    assertEquals(2, plan.steps().size());
    assertNull(plan.steps().get(0).token());
    assertEquals(List.of(sa1), plan.steps().get(0).states);
    assertEquals("b", plan.steps().get(1).token());
    assertEquals(List.of(sb1, sb2), plan.steps().get(1).states);

    Parent a2 = new Parent("a2");
    a2.id = 2L;
    FlushPlan deletes =
        FlushPlan.of(List.of(), List.of(), List.of(persistent(a2), tokened(b1, "b")));
    assertEquals(2, deletes.steps().size());
    assertEquals(
        List.of("DELETE FROM fp_parent WHERE fp_parent.id IN ($1)"),
        deletes.steps().stream().map(FlushPlanTest::sql).distinct().toList());
    assertEquals("b", deletes.steps().get(1).token());
  }

  private static InstanceState tokened(Object o, String token) {
    InstanceState s =
        new InstanceState(o, Registry.mapperOf(o.getClass()), InstanceState.Status.PERSISTENT);
    s.token = token;
    s.snapshot();
    s.key = s.keyFromFields();
    return s;
  }

  @Test
  void anUnchangedObjectPlansNothing() {
    Parent p = new Parent("x");
    p.id = 1L;
    assertTrue(FlushPlan.of(List.of(), List.of(persistent(p)), List.of()).isEmpty());
  }

  @Test
  void deletesGoChildrenFirstAsAnInListWhereTheKeyAllows() {
    Parent p1 = new Parent("x");
    p1.id = 1L;
    Parent p2 = new Parent("y");
    p2.id = 2L;
    Child c = new Child(1L, "c");
    c.id = 7L;
    c.version = 2;
    FlushPlan plan =
        FlushPlan.of(List.of(), List.of(), List.of(persistent(p1), persistent(c), persistent(p2)));
    List<FlushPlan.Step> steps = plan.steps();
    assertEquals(Child.class, steps.get(0).mapper.type());
    assertEquals(
        "DELETE FROM fp_child WHERE fp_child.id = $1 AND fp_child.version = $2", sql(steps.get(0)));
    assertEquals("DELETE FROM fp_parent WHERE fp_parent.id IN ($1, $2)", sql(steps.get(1)));
    assertEquals(2, steps.get(1).expectedRows);
  }

  @Test
  void aNewObjectWithTheKeyOfADeletedOneIsARowSwitch() {
    Child old = new Child(1L, "old");
    old.id = 7L;
    old.version = 3;
    InstanceState gone = persistent(old);
    Child taking = new Child(2L, "new");
    taking.id = 7L;
    InstanceState fresh = pending(taking);
    Child other = new Child(1L, "other");
    other.id = 8L;
    InstanceState inserted = pending(other);
    List<FlushPlan.Step> steps =
        FlushPlan.of(List.of(fresh, inserted), List.of(), List.of(gone)).steps();
    assertEquals(2, steps.size()); // no DELETE
    assertEquals(FlushPlan.Kind.INSERT, steps.get(0).kind);
    assertEquals(List.of(inserted), steps.get(0).states);
    FlushPlan.Step update = steps.get(1);
    assertEquals(FlushPlan.Kind.UPDATE, update.kind);
    assertEquals(List.of(fresh), update.states);
    assertEquals(List.of(gone), update.replaced);
    assertEquals(1, update.expectedRows);
    Map<String, Object> p = update.params.get(0);
    assertEquals(2L, p.get("parent_id"));
    assertEquals("new", p.get("name"));
    assertEquals(7L, p.get("_pk_0"));
    assertEquals(3, p.get("_version")); // the deleted object's version, and the next one
    assertEquals(4, p.get("version"));
    // Without the deletion, the new object is an INSERT (the database's key refuses it).
    assertEquals(
        FlushPlan.Kind.INSERT,
        FlushPlan.of(List.of(pending(taking)), List.of(), List.of()).steps().get(0).kind);
  }

  @Test
  void aLargeDeleteGoesAPageOfKeysAtATime() {
    List<InstanceState> gone = new java.util.ArrayList<>();
    for (long i = 1; i <= 2 * FlushPlan.DELETE_PAGE + 3; i++) {
      Parent p = new Parent("p" + i);
      p.id = i;
      gone.add(persistent(p));
    }
    List<FlushPlan.Step> steps = FlushPlan.of(List.of(), List.of(), gone).steps();
    assertEquals(3, steps.size());
    assertEquals(
        List.of(FlushPlan.DELETE_PAGE, FlushPlan.DELETE_PAGE, 3),
        steps.stream().map(s -> s.expectedRows).toList());
    assertEquals(
        gone.subList(FlushPlan.DELETE_PAGE, 2 * FlushPlan.DELETE_PAGE), steps.get(1).states);
    assertEquals("DELETE FROM fp_parent WHERE fp_parent.id IN ($1, $2, $3)", sql(steps.get(2)));
    assertTrue(sql(steps.get(0)).endsWith("$" + FlushPlan.DELETE_PAGE + ")"));
  }

  @Test
  void aStaleUpdateIsReportedWithTheClassTheKeyAndTheVersion() {
    Child a = new Child(1L, "a");
    a.id = 10L;
    a.version = 3;
    InstanceState sa = persistent(a);
    a.name = "A";
    FlushPlan.Step step = FlushPlan.of(List.of(), List.of(sa), List.of()).steps().get(0);
    dev.athanor.error.StaleDataException e = staleAfter(step, 0);
    assertTrue(e.getMessage().contains("UPDATE of Child [10] with version 3 matched 0 row(s)"));
  }

  @Test
  void aStalePageOfAManyRowDeleteNamesItsFirstKeysAndCountsTheRest() {
    List<InstanceState> gone = new java.util.ArrayList<>();
    for (long i = 1; i <= 30; i++) {
      Parent p = new Parent("p" + i);
      p.id = i;
      gone.add(persistent(p));
    }
    FlushPlan.Step step = FlushPlan.of(List.of(), List.of(), gone).steps().get(0);
    dev.athanor.error.StaleDataException e = staleAfter(step, 29);
    assertTrue(
        e.getMessage()
            .contains(
                "DELETE of Parent [[1], [2], [3], [4], [5], [6], [7], [8], [9], [10], ... 30 rows"
                    + " in all] matched 29 row(s) where 30 were expected"),
        e.getMessage());
  }
}
