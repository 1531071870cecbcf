package dev.athanor.session;

import dev.athanor.result.internal.FaceSlot;
import org.jspecify.annotations.Nullable;

/** Reaches the private face slot of a session or session transaction for the faces. */
final class SessionFaceSlots {
  static {
    dev.athanor.engine.internal.CoreFaces.register(SessionFaceSlots::of);
  }

  private SessionFaceSlots() {}

  /** Makes sure the finder is registered (the first call loads this class, which registers it). */
  static void register() {}

  private static @Nullable FaceSlot of(Object core) {
    return switch (core) {
      case Session s -> s.faces;
      case SessionTransaction t -> t.faces;
      default -> null;
    };
  }
}
