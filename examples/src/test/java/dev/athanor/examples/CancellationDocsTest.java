package dev.athanor.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every suspend function of the Kotlin face and every {@code CompletionStage} method of the Java
 * face says what cancelling it does, in the same words (kotlinx.coroutines' habit in {@code
 * Await.kt}): the contract is written once and repeated, not paraphrased.
 */
class CancellationDocsTest {
  private static final Pattern SUSPEND = Pattern.compile("^\\s*(@\\S+\\s+)*public suspend fun .*");
  private static final Pattern STAGE = Pattern.compile("^\\s*public (<[^>]+> )?CompletionStage<.*");

  private static String flat(String doc) {
    return doc.replaceAll("\\s*\\n\\s*\\*\\s?", " ").replaceAll("\\s+", " ");
  }

  private static final String KOTLIN =
      "Cancellation: cancelling the calling coroutine stops this wait at once with a"
          + " `CancellationException`";

  /** Clean-up that must end before the caller goes on (a session's close) says so instead. */
  private static final String KOTLIN_CLEAN_UP =
      "Cancellation: this clean-up runs to its end even when the calling coroutine is cancelled";

  private static final String JAVA =
      "Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it"
          + " at once with a {@code CancellationException}";

  private static List<String> undocumented(Path dir, Pattern decl, String... words)
      throws IOException {
    List<String> missing = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.sorted().toList();
    }
    for (Path f : files) {
      if (f.getFileName().toString().endsWith("Listeners.kt")) {
        continue; // callbacks a program implements, not waits a caller makes
      }
      List<String> lines = Files.readAllLines(f);
      for (int i = 0; i < lines.size(); i++) {
        if (!decl.matcher(lines.get(i)).matches()) {
          continue;
        }
        int end = i - 1;
        while (end >= 0 && lines.get(end).trim().startsWith("@")) {
          end--;
        }
        int start = end;
        while (start >= 0 && !lines.get(start).trim().startsWith("/**")) {
          start--;
        }
        String doc =
            start < 0 || !lines.get(end).trim().endsWith("*/")
                ? ""
                : flat(String.join("\n", lines.subList(start, end + 1)));
        if (java.util.Arrays.stream(words).noneMatch(doc::contains)) {
          missing.add(f.getFileName() + ":" + (i + 1) + " " + lines.get(i).trim());
        }
      }
    }
    return missing;
  }

  private static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve(".ci").resolve("run"))) {
      p = p.getParent();
    }
    assertTrue(p != null, "run inside the repository");
    return p;
  }

  @Test
  void everySuspendFunctionSaysWhatCancellingDoes() throws IOException {
    Path dir = root().resolve("coroutines-interop/src/main/kotlin/dev/athanor/coroutines");
    assertEquals(List.of(), undocumented(dir, SUSPEND, KOTLIN, KOTLIN_CLEAN_UP));
  }

  @Test
  void everyStageMethodSaysWhatCancellingDoes() throws IOException {
    Path dir = root().resolve("java-api/src/main/java/dev/athanor/java");
    assertEquals(List.of(), undocumented(dir, STAGE, JAVA));
  }
}
