package dev.athanor.sql;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Table-level constraints and indexes. Column-level shortcuts ({@code primaryKey()}, {@code
 * unique()}, {@code references(...)}) make the same objects.
 */
public sealed interface Constraint extends TableElement {
  /** Returns the constraint's name, or {@code null} to let the database choose. */
  @Nullable String name();

  /** A (possibly composite) primary key. */
  record PrimaryKey(@Nullable String name, List<String> columns) implements Constraint {}

  /** A UNIQUE constraint over columns. */
  record Unique(@Nullable String name, List<String> columns) implements Constraint {}

  /** A CHECK constraint with its SQL condition (written by the program, not by a user). */
  record Check(@Nullable String name, String condition) implements Constraint {}

  /**
   * A foreign key from columns of this table to columns of {@code targetTable}.
   *
   * @param onDelete {@code CASCADE}, {@code SET NULL}, ... or {@code null}
   */
  record ForeignKey(
      @Nullable String name,
      List<String> columns,
      String targetTable,
      List<String> targetColumns,
      @Nullable String onDelete)
      implements Constraint {
    /** Checks the action keyword, which is written into DDL. */
    public ForeignKey {
      if (onDelete != null
          && !List.of("CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION")
              .contains(onDelete.toUpperCase(java.util.Locale.ROOT))) {
        throw new dev.athanor.error.ArgumentException(
            "onDelete must be CASCADE, SET NULL, SET DEFAULT, RESTRICT or NO ACTION, not '"
                + onDelete
                + "'");
      }
    }
  }

  /** An index over columns, unique or not. */
  record Index(String name, List<String> columns, boolean unique) implements Constraint {}
}
