package dev.athanor.examples;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every public operation of a core object has a method of the same name on both faces, so the faces
 * cannot drift from the core.
 */
class FacesCoverageTest {
  /** Core methods that are not operations a face repeats. */
  private static final Set<String> CORE_ONLY =
      Set.of(
          "face",
          "core",
          "engine",
          "connection",
          "compiledCacheSize",
          "compiledCacheHitsAndMisses",
          "options",
          "savepointName",
          "rows",
          "batchSize",
          "toString",
          "equals",
          "hashCode",
          "scalars",
          "mappings",
          "columns",
          "unique",
          // the scope-block protocol the faces themselves call
          "enterBlock",
          "exitBlock");

  private static Set<String> names(Class<?> c) {
    return Arrays.stream(c.getMethods())
        .filter(m -> !Modifier.isStatic(m.getModifiers()) && m.getDeclaringClass() != Object.class)
        .map(Method::getName)
        .map(n ->
            n.startsWith("get")
                    && n.length() > 3
                    && Character.isUpperCase(n.charAt(3))
                    && !n.equals("getTransaction")
                    && !n.equals("getNestedTransaction")
                    && !n.equals("getExecutionOptions")
                    && !n.equals("getRawConnection")
                ? Character.toLowerCase(n.charAt(3)) + n.substring(4)
                : n)
        .map(n ->
            n.startsWith("is") && n.length() > 2 && Character.isUpperCase(n.charAt(2))
                ? Character.toLowerCase(n.charAt(2)) + n.substring(3)
                : n)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static void covers(Class<?> core, Class<?> face) {
    Set<String> missing = new TreeSet<>(names(core));
    missing.removeAll(CORE_ONLY);
    missing.removeAll(names(face));
    assertEquals(
        Set.of(), missing, face.getName() + " lacks operations of " + core.getSimpleName());
  }

  @Test
  void javaFaceCoversTheCore() {
    covers(dev.athanor.engine.Engine.class, dev.athanor.java.AsyncEngine.class);
    covers(dev.athanor.engine.Connection.class, dev.athanor.java.AsyncConnection.class);
    covers(dev.athanor.engine.Transaction.class, dev.athanor.java.AsyncTransaction.class);
    covers(dev.athanor.result.StreamingResult.class, dev.athanor.java.AsyncResult.class);
  }

  @Test
  void kotlinFaceCoversTheCore() {
    covers(dev.athanor.engine.Engine.class, dev.athanor.coroutines.AsyncEngine.class);
    covers(dev.athanor.engine.Connection.class, dev.athanor.coroutines.AsyncConnection.class);
    covers(dev.athanor.engine.Transaction.class, dev.athanor.coroutines.AsyncTransaction.class);
    covers(dev.athanor.result.StreamingResult.class, dev.athanor.coroutines.AsyncResult.class);
  }
}
