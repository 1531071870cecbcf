package dev.athanor.session;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code List<Child>} field as a one-to-many relationship: the objects of the mapped class
 * {@code Child} whose foreign key refers to this object's primary key. The join is inferred from
 * the one foreign key of {@code Child}'s table to this class's table ({@code @Column(references =
 * "parent.id")}), or named with {@link #foreignKey()}.
 *
 * <pre>{@code
 * @Entity(table = "parent")
 * public class Parent {
 *   @Id Long id;
 *   @Relationship(viewOnly = true) List<Child> children;
 * }
 *
 * List<Parent> parents = session
 *     .scalars(select(parentMapper).options(Loaders.selectinload(Parent.class, "children")))
 *     ...
 * }</pre>
 *
 * <p>A loaded object's collection is filled in by a loader option of the query that loads it
 * ({@link Loaders#selectinload}) or by {@code refresh(obj, List.of("children"))}; until then it is
 * a list that throws {@link dev.athanor.error.UnloadedAttributeException} on any read (inside
 * {@code runSync}, reading it loads it). This release maps read-only relationships: declare {@code
 * viewOnly = true}; the flush writes the foreign key field, never the collection, whose loaded form
 * refuses changes.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Relationship {
  /**
   * Whether the relationship only reads (SQLAlchemy's {@code viewonly}): the flush ignores it and
   * its loaded collection refuses changes. Required in this release, which has no writable
   * relationships yet.
   */
  boolean viewOnly() default false;

  /**
   * The field of the related class that holds the foreign key; by default the one whose column
   * refers to this class's table.
   */
  String foreignKey() default "";

  /** Fields of the related class the collection is ordered by, ascending; by default its key. */
  String[] orderBy() default {};
}
