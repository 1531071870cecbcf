package dev.athanor.engine.internal;

import dev.athanor.result.internal.FaceSlot;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * How the Kotlin and Java faces find the face object already made for a core object (an engine, a
 * connection, a transaction, a session). The core classes keep their {@link FaceSlot} private and
 * register a way to reach it when their class loads, so that no public method of theirs exists for
 * the faces alone.
 */
public final class CoreFaces {
  private static final List<Function<Object, @Nullable FaceSlot>> finders =
      new CopyOnWriteArrayList<>();

  private CoreFaces() {}

  /**
   * Registers a way to reach the face slot of some core objects (it answers {@code null} for the
   * others); called once per package, when a class of it loads.
   */
  public static void register(Function<Object, @Nullable FaceSlot> slotOf) {
    finders.add(slotOf);
  }

  /** Returns the face of the given class for a core object, making it on first use. */
  public static <F> F of(Object core, Class<F> type, Supplier<F> make) {
    for (Function<Object, @Nullable FaceSlot> f : finders) {
      FaceSlot slot = f.apply(core);
      if (slot != null) {
        return slot.get(type, make);
      }
    }
    // A core object exists, so its class has loaded and registered its finder.
    throw new IllegalArgumentException(
        "no face slot for " + core.getClass().getName() + "; it is not an Athanor core object");
  }
}
