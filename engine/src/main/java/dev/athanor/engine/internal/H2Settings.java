package dev.athanor.engine.internal;

import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;

/** The names of H2's connection settings, as H2 itself knows them. */
final class H2Settings {
  private static final @Nullable Method KNOWN = find();

  private H2Settings() {}

  private static @Nullable Method find() {
    try {
      // H2 keeps its list private (ConnectionInfo.isKnownSetting); asking it beats copying a
      // list that changes between H2 versions.
      Method m =
          Class.forName("org.h2.engine.ConnectionInfo")
              .getDeclaredMethod("isKnownSetting", String.class);
      m.setAccessible(true);
      return m;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** Returns whether H2 knows a setting (uppercase); {@code true} if H2 cannot be asked. */
  static boolean isKnown(String name) {
    if (KNOWN == null) {
      return true;
    }
    try {
      return (Boolean) KNOWN.invoke(null, name);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return true;
    }
  }
}
