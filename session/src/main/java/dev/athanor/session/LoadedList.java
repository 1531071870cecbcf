package dev.athanor.session;

import dev.athanor.error.InvalidRequestException;
import java.util.List;

/**
 * A view-only relationship's loaded collection: the related objects in the relationship's order. It
 * refuses changes, with an error that says to change the foreign key instead, since the flush would
 * not write them.
 */
final class LoadedList extends ViewOnlyList {
  private final Object[] items;

  LoadedList(RelatedCollection relationship, List<Object> items) {
    super(relationship);
    this.items = items.toArray();
  }

  @Override
  public Object get(int index) {
    return items[java.util.Objects.checkIndex(index, items.length)];
  }

  @Override
  public int size() {
    return items.length;
  }

  /** The error of a change to a view-only collection. */
  static InvalidRequestException viewOnly(RelatedCollection relationship) {
    RelatedCollection.Resolved r = relationship.resolved();
    return new InvalidRequestException(
        relationship.label()
            + " is view-only (@Relationship(viewOnly = true)): the flush does not write it, so "
            + "it refuses changes. Set "
            + r.target().type().getSimpleName()
            + "."
            + r.foreignKey().name()
            + " on the related object instead, and load the collection again.");
  }
}
