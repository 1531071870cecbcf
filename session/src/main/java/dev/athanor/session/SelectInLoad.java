package dev.athanor.session;

import dev.athanor.sql.ExecutionOptions;
import dev.athanor.sql.StatementOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The loader option {@link Loaders#selectinload}: after a query loads objects of a class, their
 * collection of one relationship is loaded with one more SELECT of the related class, {@code WHERE
 * foreign_key IN (the loaded keys)}, for up to {@value SelectInLoader#CHUNK} objects a statement.
 * Chain {@link #selectinload} to load the related objects' own relationships the same way.
 */
public final class SelectInLoad implements StatementOption {
  private final RelatedCollection relationship;
  private final List<SelectInLoad> nested;

  SelectInLoad(RelatedCollection relationship, List<SelectInLoad> nested) {
    this.relationship = relationship;
    this.nested = List.copyOf(nested);
  }

  RelatedCollection relationship() {
    return relationship;
  }

  /** The options run with the statement that loads the related objects. */
  List<SelectInLoad> nested() {
    return nested;
  }

  /**
   * Returns this option with the related objects' relationship {@code field} (of their class {@code
   * type}) loaded too, by a further SELECT ({@code selectinload(A.bs).selectinload(B.cs)}).
   *
   * @throws dev.athanor.error.MappingException if {@code type} has no relationship {@code field}
   */
  public SelectInLoad selectinload(Class<?> type, String field) {
    List<SelectInLoad> more = new ArrayList<>(nested);
    more.add(Loaders.selectinload(type, field));
    return new SelectInLoad(relationship, more);
  }

  @Override
  public ExecutionOptions addTo(ExecutionOptions options) {
    LoaderOptions now = options.get(LoaderOptions.KEY);
    return options.with(
        LoaderOptions.KEY, now == null ? LoaderOptions.of(List.of(this)) : now.plus(this));
  }

  @Override
  public String toString() {
    return "selectinload(" + relationship.label() + (nested.isEmpty() ? "" : ", " + nested) + ")";
  }
}
