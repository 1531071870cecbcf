package dev.athanor.examples;

import static org.junit.jupiter.api.Assertions.fail;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The public API of every published artifact, dumped to {@code api/<artifact>.api} and compared
 * with the committed file: a change to public API shows up as a diff of that file in review. After
 * a deliberate change, regenerate with {@code mvn -pl examples -am verify
 * -Dathanor.api.update=true} and commit the files.
 */
class PublicApiTest {
  /** Packages by the artifact that publishes them; internal packages are not API. */
  private static final Map<String, String> ARTIFACT_OF =
      Map.of(
          "dev.athanor.result", "athanor-result",
          "dev.athanor.error", "athanor-result",
          "dev.athanor.sql", "athanor-engine",
          "dev.athanor.engine", "athanor-engine",
          "dev.athanor.session", "athanor-session",
          "dev.athanor.java", "athanor-java",
          "dev.athanor.coroutines", "athanor-coroutines");

  @Test
  void publicApiMatchesTheCommittedDump() throws IOException {
    Map<String, TreeMap<String, List<String>>> dumps = new TreeMap<>();
    for (JavaClass jc :
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ARTIFACT_OF.keySet().toArray(String[]::new))) {
      String artifact = ARTIFACT_OF.get(jc.getPackageName());
      if (artifact == null) {
        continue;
      }
      Class<?> c = jc.reflect();
      if (!isVisible(c)) {
        continue;
      }
      dumps.computeIfAbsent(artifact, a -> new TreeMap<>()).put(c.getName(), describe(c));
    }
    Path dir = repositoryRoot().resolve("api");
    boolean update = Boolean.getBoolean("athanor.api.update");
    List<String> changed = new ArrayList<>();
    for (Map.Entry<String, TreeMap<String, List<String>>> e : dumps.entrySet()) {
      StringBuilder text = new StringBuilder();
      e.getValue().values().forEach(lines -> lines.forEach(l -> text.append(l).append('\n')));
      Path file = dir.resolve(e.getKey() + ".api");
      String committed = Files.exists(file) ? Files.readString(file) : "";
      if (!committed.equals(text.toString())) {
        if (update) {
          Files.createDirectories(dir);
          Files.writeString(file, text.toString());
        } else {
          changed.add(e.getKey() + ": " + firstDifference(committed, text.toString()));
        }
      }
    }
    if (!changed.isEmpty()) {
      fail(
          "The public API changed:\n  "
              + String.join("\n  ", changed)
              + "\nIf the change is meant, regenerate the dumps with "
              + "`mvn -pl examples -am verify -Dathanor.api.update=true`, review the diff of api/, "
              + "and say the change in CHANGELOG.md.");
    }
  }

  private static boolean isVisible(Class<?> c) {
    if (c.isSynthetic() || c.isAnonymousClass() || c.isLocalClass()) {
      return false;
    }
    for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
      if (!Modifier.isPublic(k.getModifiers())) {
        return false;
      }
    }
    return true;
  }

  private static List<String> describe(Class<?> c) {
    List<String> out = new ArrayList<>();
    out.add(c.toGenericString());
    TreeSet<String> members = new TreeSet<>();
    for (Constructor<?> k : c.getDeclaredConstructors()) {
      if (shown(k)) {
        members.add("  " + k.toGenericString().replace(c.getName() + "(", c.getSimpleName() + "("));
      }
    }
    for (Method m : c.getDeclaredMethods()) {
      if (shown(m) && !m.isBridge()) {
        members.add("  " + m.toGenericString());
      }
    }
    for (Field f : c.getDeclaredFields()) {
      if (shown(f)) {
        members.add("  " + f.toGenericString());
      }
    }
    out.addAll(members);
    return out;
  }

  private static boolean shown(Member m) {
    int mod = m.getModifiers();
    boolean visible =
        Modifier.isPublic(mod)
            || (Modifier.isProtected(mod)
                && !Modifier.isFinal(m.getDeclaringClass().getModifiers()));
    return visible && !m.isSynthetic();
  }

  private static String firstDifference(String committed, String now) {
    String[] a = committed.split("\n", -1);
    String[] b = now.split("\n", -1);
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      String x = i < a.length ? a[i] : "(end)";
      String y = i < b.length ? b[i] : "(end)";
      if (!x.equals(y)) {
        return "line " + (i + 1) + ": was `" + x + "`, now `" + y + "`";
      }
    }
    return "(same lines)";
  }

  private static Path repositoryRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve(".ci").resolve("run"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("Run from inside the Athanor repository.");
    }
    return p;
  }
}
