package dev.athanor.session;

import dev.athanor.error.MappingException;
import dev.athanor.sql.Constraint;
import dev.athanor.sql.OrderBy;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A one-to-many relationship of a mapper ({@link Relationship} on a {@code List<Child>} field): the
 * field, the related class, and the foreign key joining them. The related side is worked out on
 * first use, so that the two classes may be mapped in either order.
 */
final class RelatedCollection {
  private final Mapper<?> owner;
  private final String name;
  private final Class<?> targetType;
  private final VarHandle field;
  private final String foreignKey;
  private final List<String> orderBy;

  private volatile @Nullable Resolved resolved;

  /** The related side, once worked out. */
  record Resolved(
      Mapper<Object> target,
      Attribute<Object, ?> foreignKey,
      Attribute<Object, ?> ownerKey,
      List<OrderBy> order) {
    /** Where the foreign key stands among the related mapper's attributes. */
    int foreignKeyAt() {
      return target.attributes().indexOf(foreignKey);
    }
  }

  RelatedCollection(
      Mapper<?> owner,
      String name,
      Class<?> targetType,
      VarHandle field,
      String foreignKey,
      List<String> orderBy) {
    this.owner = owner;
    this.name = name;
    this.targetType = targetType;
    this.field = field;
    this.foreignKey = foreignKey;
    this.orderBy = List.copyOf(orderBy);
  }

  /** The field's name. */
  String name() {
    return name;
  }

  /** The mapper this relationship belongs to. */
  Mapper<?> owner() {
    return owner;
  }

  /** {@code Parent.children}, as errors name it. */
  String label() {
    return owner.type().getSimpleName() + "." + name;
  }

  /** The field's value on {@code entity}. */
  @Nullable Object read(Object entity) {
    return field.get(entity);
  }

  /** Sets the field on {@code entity}. */
  void write(Object entity, @Nullable Object value) {
    field.set(entity, value);
  }

  /**
   * Whether {@code entity}'s collection was loaded by the session; a list of the program's own (on
   * an object it made) is not, and a loader option replaces it with the database's.
   */
  boolean loaded(Object entity) {
    return field.get(entity) instanceof LoadedList;
  }

  /** Sets {@code entity}'s collection to the marker that refuses reads until it is loaded. */
  void markUnloaded(Object entity) {
    field.set(entity, new UnloadedList(this, entity));
  }

  /**
   * The related mapper, the foreign key and the order, worked out on first use.
   *
   * @throws MappingException naming the relationship and the fix, when they cannot be
   */
  @SuppressWarnings("unchecked")
  Resolved resolved() {
    Resolved r = resolved;
    if (r != null) {
      return r;
    }
    Mapper<Object> target = (Mapper<Object>) Registry.findMapper(targetType);
    if (target == null) {
      throw new MappingException(
          label()
              + " is a List of "
              + targetType.getName()
              + ", which is not mapped; map it (Registry.map) before loading "
              + label()
              + ".");
    }
    if (owner.primaryKey().size() != 1) {
      throw new MappingException(
          label()
              + ": "
              + owner.type().getSimpleName()
              + " has a composite primary key; relationships join on a one-column key in this "
              + "release.");
    }
    Attribute<Object, ?> ownerKey = (Attribute<Object, ?>) owner.primaryKey().get(0);
    Attribute<Object, ?> fk =
        foreignKey.isEmpty() ? inferForeignKey(target, ownerKey) : target.attribute(foreignKey);
    List<OrderBy> order = new ArrayList<>();
    if (orderBy.isEmpty()) {
      for (Attribute<Object, ?> k : target.primaryKey()) {
        order.add(k.asc());
      }
    } else {
      for (String f : orderBy) {
        order.add(target.attribute(f).asc());
      }
    }
    r = new Resolved(target, fk, ownerKey, List.copyOf(order));
    resolved = r;
    return r;
  }

  private Attribute<Object, ?> inferForeignKey(
      Mapper<Object> target, Attribute<Object, ?> ownerKey) {
    List<Attribute<Object, ?>> found = new ArrayList<>();
    for (Constraint.ForeignKey fk : target.table().foreignKeys()) {
      if (fk.columns().size() == 1
          && MapperGraph.refersTo(target, fk, owner)
          && fk.targetColumns().equals(List.of(ownerKey.column().name()))) {
        for (Attribute<Object, ?> a : target.attributes()) {
          if (a.column().name().equals(fk.columns().get(0)) && !found.contains(a)) {
            found.add(a);
          }
        }
      }
    }
    if (found.size() == 1) {
      return found.get(0);
    }
    String refers =
        "@Column(references = \"" + owner.table().name() + "." + ownerKey.column().name() + "\")";
    if (found.isEmpty()) {
      throw new MappingException(
          label()
              + ": "
              + target.type().getSimpleName()
              + " has no field whose column refers to "
              + owner.table().name()
              + "."
              + ownerKey.column().name()
              + "; mark its foreign key field with "
              + refers
              + ", or name it with @Relationship(foreignKey = \"...\").");
    }
    throw new MappingException(
        label()
            + ": "
            + target.type().getSimpleName()
            + " has several fields that refer to "
            + owner.table().name()
            + " ("
            + found.stream().map(Attribute::name).toList()
            + "); name the one to join on with @Relationship(foreignKey = \"...\").");
  }

  @Override
  public String toString() {
    return "Relationship(" + label() + " -> " + targetType.getSimpleName() + ")";
  }
}
