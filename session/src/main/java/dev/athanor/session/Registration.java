package dev.athanor.session;

/** A registered listener; {@link #remove()} unregisters it (idempotent). */
@FunctionalInterface
public interface Registration extends AutoCloseable {
  /** Unregisters the listener. */
  void remove();

  /** Same as {@link #remove()}, for try-with-resources. */
  @Override
  default void close() {
    remove();
  }
}
