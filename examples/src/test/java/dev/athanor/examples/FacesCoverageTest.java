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
          // the session's listener registry: the faces offer listen() over their own listener types
          "events",
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

  /** A core method taking one of these is a reactive form the faces replace with their own. */
  private static final Set<Class<?>> REACTIVE_ONLY =
      Set.of(reactor.core.publisher.Mono.class, reactor.core.publisher.Flux.class);

  /** A core method taking one of these is part of the scope-block protocol the faces call. */
  private static final Set<Class<?>> SCOPE_PROTOCOL = Set.of(dev.athanor.engine.BlockClaim.class);

  /** Core types and the face types that stand for them in a face's signatures. */
  private static final java.util.Map<Class<?>, java.util.List<String>> FACE_TYPES =
      java.util.Map.of(
          dev.athanor.engine.Engine.class,
          java.util.List.of("dev.athanor.java.AsyncEngine", "dev.athanor.coroutines.AsyncEngine"),
          dev.athanor.engine.Connection.class,
          java.util.List.of(
              "dev.athanor.java.AsyncConnection", "dev.athanor.coroutines.AsyncConnection"),
          dev.athanor.engine.Transaction.class,
          java.util.List.of(
              "dev.athanor.java.AsyncTransaction", "dev.athanor.coroutines.AsyncTransaction"),
          dev.athanor.result.StreamingResult.class,
          java.util.List.of("dev.athanor.java.AsyncResult", "dev.athanor.coroutines.AsyncResult"),
          dev.athanor.session.Session.class,
          java.util.List.of("dev.athanor.java.AsyncSession", "dev.athanor.coroutines.AsyncSession"),
          dev.athanor.session.SessionTransaction.class,
          java.util.List.of(
              "dev.athanor.java.AsyncSessionTransaction",
              "dev.athanor.coroutines.AsyncSessionTransaction"),
          java.util.function.Supplier.class,
          java.util.List.of("java.util.function.Supplier", "kotlin.jvm.functions.Function0"),
          java.util.function.Function.class,
          java.util.List.of(
              "java.util.function.Function",
              "kotlin.jvm.functions.Function1",
              "kotlin.jvm.functions.Function2"));

  /** Whether a face parameter of type {@code face} stands for a core parameter of {@code core}. */
  private static boolean standsFor(Class<?> core, Class<?> face) {
    if (core == face) {
      return true;
    }
    java.util.List<String> names = FACE_TYPES.get(core);
    return names != null && names.contains(face.getName());
  }

  /** A face method's parameters, without a suspend function's continuation. */
  private static Class<?>[] faceParameters(Method m) {
    Class<?>[] types = m.getParameterTypes();
    int n = types.length;
    if (n > 0 && types[n - 1].getName().equals("kotlin.coroutines.Continuation")) {
      return Arrays.copyOf(types, n - 1);
    }
    return types;
  }

  /**
   * Whether {@code face} takes the parameters of {@code core}: the same ones, in order, by type
   * (core types standing for face types). With {@code defaults} (Kotlin), the face may take more,
   * its default parameters standing for the core's shorter overloads.
   */
  private static boolean takes(Method face, Method core, boolean defaults) {
    Class<?>[] f = faceParameters(face);
    Class<?>[] c = core.getParameterTypes();
    if (defaults ? f.length < c.length : f.length != c.length) {
      return false;
    }
    int at = 0;
    for (Class<?> want : c) {
      while (at < f.length && !standsFor(want, f[at])) {
        if (!defaults) {
          return false;
        }
        at++;
      }
      if (at == f.length) {
        return false;
      }
      at++;
    }
    return true;
  }

  private static String signature(Method m) {
    return fold(m.getName())
        + Arrays.stream(m.getParameterTypes())
            .map(Class::getSimpleName)
            .collect(Collectors.joining(", ", "(", ")"));
  }

  /**
   * Every public core operation has a face method of the same name that takes its parameters, by
   * type: exactly (Java) or with defaults for the shorter overloads (Kotlin).
   */
  private static void coversSignatures(Class<?> core, Class<?> face, boolean defaults) {
    Set<String> missing = new TreeSet<>();
    for (Method m : core.getMethods()) {
      String name = fold(m.getName());
      if (Modifier.isStatic(m.getModifiers())
          || m.getDeclaringClass() == Object.class
          || CORE_ONLY.contains(name)
          || Arrays.stream(m.getParameterTypes()).anyMatch(REACTIVE_ONLY::contains)
          || Arrays.stream(m.getParameterTypes()).anyMatch(SCOPE_PROTOCOL::contains)) {
        continue;
      }
      boolean found = false;
      for (Method f : face.getMethods()) {
        if (fold(f.getName()).equals(name) && takes(f, m, defaults)) {
          found = true;
          break;
        }
      }
      if (!found) {
        missing.add(signature(m));
      }
    }
    assertEquals(
        Set.of(), missing, face.getName() + " lacks these signatures of " + core.getSimpleName());
  }

  @Test
  void javaFaceHasEveryCoreSignature() {
    coversSignatures(dev.athanor.engine.Engine.class, dev.athanor.java.AsyncEngine.class, false);
    coversSignatures(
        dev.athanor.engine.Connection.class, dev.athanor.java.AsyncConnection.class, false);
    coversSignatures(
        dev.athanor.engine.Transaction.class, dev.athanor.java.AsyncTransaction.class, false);
    coversSignatures(
        dev.athanor.result.StreamingResult.class, dev.athanor.java.AsyncResult.class, false);
    coversSignatures(dev.athanor.session.Session.class, dev.athanor.java.AsyncSession.class, false);
    coversSignatures(
        dev.athanor.session.SessionTransaction.class,
        dev.athanor.java.AsyncSessionTransaction.class,
        false);
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
  void kotlinFaceTakesEveryCoreSignature() {
    coversSignatures(
        dev.athanor.engine.Engine.class, dev.athanor.coroutines.AsyncEngine.class, true);
    coversSignatures(
        dev.athanor.engine.Connection.class, dev.athanor.coroutines.AsyncConnection.class, true);
    coversSignatures(
        dev.athanor.engine.Transaction.class, dev.athanor.coroutines.AsyncTransaction.class, true);
    coversSignatures(
        dev.athanor.result.StreamingResult.class, dev.athanor.coroutines.AsyncResult.class, true);
    coversSignatures(
        dev.athanor.session.Session.class, dev.athanor.coroutines.AsyncSession.class, true);
    coversSignatures(
        dev.athanor.session.SessionTransaction.class,
        dev.athanor.coroutines.AsyncSessionTransaction.class,
        true);
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
