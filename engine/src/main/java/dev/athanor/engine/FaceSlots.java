package dev.athanor.engine;

import dev.athanor.result.internal.FaceSlot;
import org.jspecify.annotations.Nullable;

/** Reaches the private face slot of an engine, connection or transaction for the faces. */
final class FaceSlots {
  private FaceSlots() {}

  static @Nullable FaceSlot of(Object core) {
    return switch (core) {
      case Engine e -> e.faces;
      case Connection c -> c.faces;
      case Transaction t -> t.faces;
      default -> null;
    };
  }
}
