package dev.athanor.engine;

import dev.athanor.result.internal.FaceSlot;

/** Reaches the private face slot of an engine, connection or transaction for the faces. */
final class FaceSlots {
  private FaceSlots() {}

  static FaceSlot of(Object core) {
    return switch (core) {
      case Engine e -> e.faces;
      case Connection c -> c.faces;
      case Transaction t -> t.faces;
      default ->
          throw new IllegalArgumentException(
              "no face slot on " + core.getClass().getName() + "; expected an engine object");
    };
  }
}
