package dev.athanor.session;

import dev.athanor.sql.Expression;
import dev.athanor.sql.ExpressionProxy;

/**
 * A mapped attribute named before its class is mapped: what the generated metamodel ({@code
 * User_.name}, made by the {@code athanor-metamodel} annotation processor) holds. It is an {@link
 * Expression} with every operator, and finds the {@link Attribute} of its class when first used, so
 * the metamodel class can load before the {@link Registry} maps the entity.
 *
 * <pre>{@code
 * select(User_.mapper()).where(User_.name.eq("sandy")).orderBy(User_.id.asc())
 * }</pre>
 *
 * @param <E> the mapped class
 * @param <T> the attribute's Java type
 */
public final class MetaAttribute<E, T> extends ExpressionProxy<T> {
  private final Class<E> type;
  private final String name;
  private volatile @org.jspecify.annotations.Nullable Attribute<E, T> resolved;

  private MetaAttribute(Class<E> type, String name) {
    this.type = type;
    this.name = name;
  }

  /** Returns the attribute {@code name} (a field name) of the mapped class {@code type}. */
  public static <E, T> MetaAttribute<E, T> of(Class<E> type, String name) {
    return new MetaAttribute<>(type, name);
  }

  /**
   * Returns the mapped attribute it names.
   *
   * @throws dev.athanor.error.MappingException if the class is not mapped (map it with a {@link
   *     Registry} first) or has no such mapped field
   */
  public Attribute<E, T> attribute() {
    Attribute<E, T> a = resolved;
    if (a == null) {
      a = Registry.mapperOf(type).attribute(name);
      resolved = a;
    }
    return a;
  }

  /** Returns the field name. */
  public String name() {
    return name;
  }

  /** Returns the mapped class. */
  public Class<E> entityType() {
    return type;
  }

  @Override
  public Expression<T> toExpression() {
    return attribute();
  }

  @Override
  public String toString() {
    return type.getSimpleName() + "_." + name;
  }
}
