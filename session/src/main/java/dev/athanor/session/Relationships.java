package dev.athanor.session;

import dev.athanor.error.MappingException;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.Arrays;
import java.util.List;

/** Reads a mapped class's {@link Relationship} fields into its mapper, checking each. */
final class Relationships {
  private Relationships() {}

  /**
   * Checks the relationship fields of a class before it is mapped, so that a class refused leaves
   * nothing behind (no table in the registry's metadata).
   *
   * @throws MappingException naming the field and the fix
   */
  static void check(Class<?> type) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        Relationship ann = f.getAnnotation(Relationship.class);
        if (ann != null) {
          elementType(f, checked(type, f, ann));
        }
      }
    }
  }

  /** Adds the relationships of the mapper's class (and its superclasses) to the mapper. */
  static void addTo(Mapper<?> mapper) {
    for (Class<?> c = mapper.type(); c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        Relationship ann = f.getAnnotation(Relationship.class);
        if (ann != null) {
          mapper.addRelationship(relationship(mapper, f, ann));
        }
      }
    }
  }

  /** The field's label, once its modifiers and {@code viewOnly} are checked. */
  private static String checked(Class<?> type, Field f, Relationship ann) {
    String label = type.getName() + "." + f.getName();
    if (Modifier.isStatic(f.getModifiers()) || Modifier.isFinal(f.getModifiers())) {
      throw new MappingException(
          label
              + " is static or final; the session sets a relationship's field when it loads it. "
              + "Make it a non-final instance field (Kotlin: var).");
    }
    if (!ann.viewOnly()) {
      throw new MappingException(
          label
              + " is a writable relationship, which this release does not have yet: mark it "
              + "@Relationship(viewOnly = true) and write the related objects' foreign key field "
              + "instead.");
    }
    return label;
  }

  private static RelatedCollection relationship(Mapper<?> mapper, Field f, Relationship ann) {
    String label = checked(mapper.type(), f, ann);
    Class<?> target = elementType(f, label);
    VarHandle handle = Registry.fieldHandle(f);
    return new RelatedCollection(
        mapper, f.getName(), target, handle, ann.foreignKey(), Arrays.asList(ann.orderBy()));
  }

  /** The {@code Child} of a {@code List<Child>} field. */
  private static Class<?> elementType(Field f, String label) {
    Class<?> raw = f.getType();
    if (raw != List.class && raw != java.util.Collection.class && raw != Iterable.class) {
      throw new MappingException(
          label
              + " is marked @Relationship but is a "
              + raw.getSimpleName()
              + "; a one-to-many relationship is a List<Child> field.");
    }
    Type t = f.getGenericType();
    if (t instanceof ParameterizedType p && p.getActualTypeArguments().length == 1) {
      Type arg = p.getActualTypeArguments()[0];
      if (arg instanceof WildcardType w && w.getUpperBounds().length == 1) {
        arg = w.getUpperBounds()[0];
      }
      if (arg instanceof Class<?> c && c != Object.class) {
        return c;
      }
    }
    throw new MappingException(
        label
            + " is marked @Relationship but its element class is not named: declare it as "
            + "List<Child>.");
  }
}
