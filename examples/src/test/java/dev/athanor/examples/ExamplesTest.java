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
}
