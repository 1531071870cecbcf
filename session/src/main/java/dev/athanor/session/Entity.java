package dev.athanor.session;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class as mapped to a table; {@link Registry#map(Class)} reads it. Every field is a column
 * unless marked {@link Transient} (or {@code static}, {@code transient}); a column's name is the
 * field's name in snake case unless {@link Column#name()} says otherwise.
 *
 * <pre>{@code
 * @Entity(table = "users")
 * public class User {
 *   @Id Long id;
 *   @Column(length = 30, nullable = false) String name;
 *   String fullname;
 *   public User() {}
 * }
 * }</pre>
 *
 * <p>The class needs a constructor without parameters (it may be private); in Kotlin, give every
 * constructor parameter a default value. No subclass is made and the class need not be open.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Entity {
  /** The table's name; by default the class's simple name in snake case. */
  String table() default "";

  /** The table's schema; by default the database's current one. */
  String schema() default "";

  /**
   * Whether a flush reads server defaults back in its INSERT ({@code RETURNING}), so that reading
   * them afterwards needs no IO (on by default: RETURNING costs nothing extra on PostgreSQL and
   * H2). Off, a server-default attribute left unset is expired by the flush instead and loaded by
   * the next {@code get}, query or {@code refresh} that reaches the object. Generated keys are
   * always read back.
   */
  boolean eagerDefaults() default true;
}
