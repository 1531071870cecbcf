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

  /** Each public method as "name/arity" (getters and is-prefixes folded as in {@link #names}). */
  private static Set<String> arities(Class<?> c, int extra) {
    return Arrays.stream(c.getMethods())
        .filter(m -> !Modifier.isStatic(m.getModifiers()) && m.getDeclaringClass() != Object.class)
        .map(m -> m.getName() + "/" + (m.getParameterCount() - extra))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The Java face has every core overload (same name, same number of parameters). */
  private static void coversOverloads(Class<?> core, Class<?> face) {
    Set<String> missing = new TreeSet<>(arities(core, 0));
    missing.removeIf(a -> CORE_ONLY.contains(a.substring(0, a.indexOf('/'))));
    missing.removeAll(arities(face, 0));
    assertEquals(Set.of(), missing, face.getName() + " lacks overloads of " + core.getSimpleName());
  }

  @Test
  void javaFaceHasEveryCoreOverload() {
    coversOverloads(dev.athanor.engine.Engine.class, dev.athanor.java.AsyncEngine.class);
    coversOverloads(dev.athanor.engine.Connection.class, dev.athanor.java.AsyncConnection.class);
    coversOverloads(dev.athanor.engine.Transaction.class, dev.athanor.java.AsyncTransaction.class);
    coversOverloads(dev.athanor.result.StreamingResult.class, dev.athanor.java.AsyncResult.class);
  }

  /**
   * The Kotlin face takes at least as many parameters as every core overload (its default
   * parameters stand for the shorter overloads; a suspend function's continuation does not count).
   */
  private static void coversArities(Class<?> core, Class<?> face) {
    java.util.Map<String, Integer> most = new java.util.HashMap<>();
    for (Method m : face.getMethods()) {
      int n = m.getParameterCount();
      Class<?>[] types = m.getParameterTypes();
      if (n > 0 && types[n - 1].getName().equals("kotlin.coroutines.Continuation")) {
        n--;
      }
      most.merge(fold(m.getName()), n, Math::max);
    }
    Set<String> missing = new TreeSet<>();
    for (Method m : core.getMethods()) {
      String name = fold(m.getName());
      if (Modifier.isStatic(m.getModifiers())
          || m.getDeclaringClass() == Object.class
          || CORE_ONLY.contains(name)) {
        continue;
      }
      Integer n = most.get(name);
      if (n == null || n < m.getParameterCount()) {
        missing.add(name + "/" + m.getParameterCount());
      }
    }
    assertEquals(
        Set.of(), missing, face.getName() + " lacks parameters of " + core.getSimpleName());
  }

  private static String fold(String n) {
    if (n.startsWith("get") && n.length() > 3 && Character.isUpperCase(n.charAt(3))) {
      return Character.toLowerCase(n.charAt(3)) + n.substring(4);
    }
    if (n.startsWith("is") && n.length() > 2 && Character.isUpperCase(n.charAt(2))) {
      return Character.toLowerCase(n.charAt(2)) + n.substring(3);
    }
    return n;
  }

  @Test
  void kotlinFaceTakesEveryCoreParameter() {
    coversArities(dev.athanor.engine.Engine.class, dev.athanor.coroutines.AsyncEngine.class);
    coversArities(
        dev.athanor.engine.Connection.class, dev.athanor.coroutines.AsyncConnection.class);
    coversArities(
        dev.athanor.engine.Transaction.class, dev.athanor.coroutines.AsyncTransaction.class);
    coversArities(
        dev.athanor.result.StreamingResult.class, dev.athanor.coroutines.AsyncResult.class);
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
