package dev.athanor.engine.internal;

import dev.athanor.result.internal.FaceSlot;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * How the Kotlin and Java faces find the face object already made for a core engine, connection or
 * transaction. The core classes keep their {@link FaceSlot} private and hand this class a way to
 * reach it when the engine class loads, so that no public method of theirs exists for the faces
 * alone.
 */
public final class CoreFaces {
  private static volatile @Nullable Function<Object, FaceSlot> slots;

  private CoreFaces() {}

  /** Installs the way to reach a core object's face slot; called once, by the engine package. */
  public static void install(Function<Object, FaceSlot> slotOf) {
    slots = slotOf;
  }

  /** Returns the face of the given class for a core object, making it on first use. */
  public static <F> F of(Object core, Class<F> type, Supplier<F> make) {
    Function<Object, FaceSlot> s = slots;
    if (s == null) {
      // A core object exists, so the engine package is loaded; its classes install on load.
      throw new IllegalStateException("the engine package did not install its face slots");
    }
    return s.apply(core).get(type, make);
  }
}
