package dev.athanor.examples;

import static org.junit.jupiter.api.Assertions.*;

import dev.athanor.testkit.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs the examples on every database and checks what they print. */
class ExamplesTest {
  static List<TestDatabases.Db> dbs() {
    return TestDatabases.all();
  }

  private static List<String> run(Runnable main) {
    PrintStream saved = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      main.run();
    } finally {
      System.setOut(saved);
    }
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  private static final List<String> EXPECTED =
      List.of("[('some name 1',)]", "('some name 1',)", "('some name 2',)");

  @ParameterizedTest
  @MethodSource("dbs")
  void kotlinCoreExample(TestDatabases.Db db) {
    assertEquals(EXPECTED, run(() -> CoreBasicKt.main(new String[] {db.url()})));
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void javaCoreExample(TestDatabases.Db db) {
    assertEquals(EXPECTED, run(() -> CoreBasicJava.main(new String[] {db.url()})));
  }

  /** The ORM example's lines, with each creation time checked and then masked. */
  private static List<String> masked(List<String> lines) {
    return lines.stream()
        .map(l -> {
          int at = l.indexOf(" created at: ");
          if (at < 0) {
            return l;
          }
          String ts = l.substring(at + " created at: ".length());
          // The server default, read back by the flush: a real timestamp, not null.
          java.time.OffsetDateTime.parse(ts);
          return l.substring(0, at) + " created at: <timestamp>";
        })
        .toList();
  }

  private static final List<String> ORM_EXPECTED =
      List.of(
          "A(id=1, data=a1) created at: <timestamp>",
          "  B(id=1, data=b1)",
          "  B(id=2, data=b2)",
          "A(id=2, data=a2) created at: <timestamp>",
          "A(id=3, data=a3) created at: <timestamp>",
          "  B(id=3, data=b3)",
          "  B(id=4, data=b4)",
          "new data",
          "B(id=1, data=b1)",
          "B(id=2, data=b2)");

  @ParameterizedTest
  @MethodSource("dbs")
  void kotlinOrmExample(TestDatabases.Db db) {
    assertEquals(ORM_EXPECTED, masked(run(() -> OrmBasicKt.main(new String[] {db.url()}))));
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void javaOrmExample(TestDatabases.Db db) {
    assertEquals(ORM_EXPECTED, masked(run(() -> OrmBasicJava.main(new String[] {db.url()}))));
  }

  private static final List<String> ROUTING_EXPECTED =
      List.of(
          "reads come from a standby: true",
          "read on the follower: Account(id=1, owner=sandy, balance=100)",
          "before commit: follower says 100, leader (pinned) says 150",
          "after commit, on the follower: Account(id=1, owner=sandy, balance=150)");

  /** The routing examples need the primary/standby pair of scripts/pg-replica.sh (CI has it). */
  private static TestDatabases.Replica replica() {
    TestDatabases.Replica r = TestDatabases.replica();
    org.junit.jupiter.api.Assumptions.assumeTrue(r != null, "no PostgreSQL replica pair running");
    return r;
  }

  @org.junit.jupiter.api.Test
  void kotlinRoutingExample() {
    TestDatabases.Replica r = replica();
    assertEquals(
        ROUTING_EXPECTED,
        run(() -> RoutingSessionKt.main(new String[] {r.primaryUrl(), r.standbyUrl()})));
  }

  @org.junit.jupiter.api.Test
  void javaRoutingExample() {
    TestDatabases.Replica r = replica();
    assertEquals(
        ROUTING_EXPECTED,
        run(() -> RoutingSessionJava.main(new String[] {r.primaryUrl(), r.standbyUrl()})));
  }
}
