package dev.athanor.sql.internal;

import dev.athanor.error.ArgumentException;
import dev.athanor.sql.FromSource;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What a Java class stands for in a statement: the ORM installs a resolver from mapped classes to
 * their mappers, so that {@code select(User.class)}, {@code update(User.class)} and the like work
 * without the Core knowing the ORM.
 */
public final class ClassSources {
  private static volatile Function<Class<?>, @Nullable FromSource> resolver = c -> null;

  private ClassSources() {}

  /** Installs the resolver (the ORM's registry of mapped classes). */
  public static void install(Function<Class<?>, @Nullable FromSource> classes) {
    resolver = classes;
  }

  /**
   * Returns what {@code type} stands for.
   *
   * @throws ArgumentException if it stands for nothing: the class is not mapped
   */
  public static FromSource require(Class<?> type, String statement) {
    FromSource source = resolver.apply(type);
    if (source == null) {
      throw new ArgumentException(
          statement
              + "() was given the class "
              + type.getName()
              + ", which no Registry maps; map it first (registry.map("
              + type.getSimpleName()
              + ".class) for an @Entity class, or registry.mapImperatively(...)), or pass a table or columns.");
    }
    return source;
  }
}
