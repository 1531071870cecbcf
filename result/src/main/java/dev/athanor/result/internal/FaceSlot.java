package dev.athanor.result.internal;

import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Holds the face objects (Kotlin, Java) made for one core object, so that the same core object
 * always yields the same face object. A core object usually has one face in use; a second is kept
 * in a small overflow array.
 */
public final class FaceSlot {
  private volatile @Nullable Object first;
  private volatile Object @Nullable [] more;

  /** Returns the face of the given class, making it on first use. */
  public <F> F get(Class<F> type, Supplier<F> make) {
    Object f = first;
    if (type.isInstance(f)) {
      return type.cast(f);
    }
    synchronized (this) {
      f = first;
      if (f == null) {
        F made = make.get();
        first = made;
        return made;
      }
      if (type.isInstance(f)) {
        return type.cast(f);
      }
      Object[] m = more;
      if (m != null) {
        for (Object o : m) {
          if (type.isInstance(o)) {
            return type.cast(o);
          }
        }
      }
      F made = make.get();
      Object[] grown = m == null ? new Object[1] : java.util.Arrays.copyOf(m, m.length + 1);
      grown[grown.length - 1] = made;
      more = grown;
      return made;
    }
  }
}
