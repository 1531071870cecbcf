package dev.athanor.sql;

import java.util.List;
import java.util.Map;

/**
 * Something that stands for a {@link FromClause} wherever a statement takes one: in {@code
 * select(...)} (its columns are selected), {@code selectFrom}, {@code join}, and as the target of
 * {@code insert}, {@code update} and {@code delete} (where it must stand for a {@link Table}).
 * Every {@code FromClause} is one; an ORM's mapped class implements it.
 */
public interface FromSource {
  /** Returns the FROM item this object stands for. */
  FromClause toFromClause();

  /**
   * Returns the columns {@code select(source)} selects, in order: by default every column of {@link
   * #toFromClause()}. A mapped class may select fewer (those it maps).
   */
  default List<? extends Expression<?>> selectedColumns() {
    return toFromClause().columns();
  }

  /**
   * Returns annotations a statement that selects or targets this object takes on; they take part in
   * the statement's cache key. None by default.
   */
  default Map<String, Object> annotations() {
    return Map.of();
  }
}
