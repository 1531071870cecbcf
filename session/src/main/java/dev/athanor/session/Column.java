package dev.athanor.session;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Says how a field maps to its column, where the defaults do not fit. Without it a field maps to a
 * nullable column named after it (snake case), of the type its Java type suggests.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Column {
  /** The column's name; by default the field's name in snake case. */
  String name() default "";

  /** The maximum length of a string column ({@code VARCHAR(n)}); unbounded text by default. */
  int length() default -1;

  /** Whether the column accepts NULL; a primitive field or a key never does. */
  boolean nullable() default true;

  /** Whether the column's values are unique (a UNIQUE constraint). */
  boolean unique() default false;

  /** Whether the column is indexed. */
  boolean index() default false;

  /**
   * The column this one refers to, {@code "table.column"} (a foreign key): the flush inserts the
   * referred table's rows first and deletes them last.
   */
  String references() default "";

  /**
   * SQL for the column's server default ({@code "now()"}, {@code "0"}); its value is read back in
   * the flush that inserts the row.
   */
  String serverDefault() default "";
}
