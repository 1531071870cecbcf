package dev.athanor.session;

import dev.athanor.engine.internal.Blocking;
import dev.athanor.error.UnloadedAttributeException;
import java.util.List;

/**
 * What a loaded object's relationship holds until it is loaded: a list that refuses every read with
 * an error naming the relationship and the ways to load it, since loading it on read would be IO
 * hidden in a field read (DESIGN.md, decision 5). Inside {@code runSync}, where blocking is
 * allowed, reading it loads it through the object's session. It equals only itself, and prints
 * without loading.
 */
final class UnloadedList extends ViewOnlyList {
  private final Object owner;

  UnloadedList(RelatedCollection relationship, Object owner) {
    super(relationship);
    this.owner = owner;
  }

  @Override
  public Object get(int index) {
    return loaded().get(index);
  }

  @Override
  public int size() {
    return loaded().size();
  }

  /** Loads the collection inside {@code runSync}; refuses anywhere else. */
  @SuppressWarnings("unchecked")
  private List<Object> loaded() {
    Session session = Session.objectSession(owner);
    if (session == null || !session.guard.onSyncThread()) {
      throw notLoaded();
    }
    Blocking.await(
        session.refresh(owner, List.of(relationship.name())), "loading " + relationship.label());
    Object now = relationship.read(owner);
    if (now instanceof UnloadedList || !(now instanceof List<?>)) {
      throw notLoaded();
    }
    return (List<Object>) now;
  }

  private UnloadedAttributeException notLoaded() {
    String owned = owner.getClass().getSimpleName();
    String var = Character.toLowerCase(owned.charAt(0)) + owned.substring(1);
    return new UnloadedAttributeException(
        relationship.label()
            + " of the "
            + owned
            + " with key "
            + keyOf()
            + " is not loaded, and loading it on read would hide IO in a field read. Load it "
            + "with the query that loads the object: .options(Loaders.selectinload("
            + owned
            + ".class, \""
            + relationship.name()
            + "\")) (Kotlin: selectinload("
            + owned
            + "::"
            + relationship.name()
            + ")); or load it now: session.fetch("
            + var
            + ", \""
            + relationship.name()
            + "\"), or again: session.refresh("
            + var
            + ", List.of(\""
            + relationship.name()
            + "\")); or read it inside session.runSync { }.");
  }

  private Object keyOf() {
    var key = relationship.owner().primaryKey();
    return key.size() == 1
        ? String.valueOf(key.get(0).read(owner))
        : key.stream().map(a -> a.read(owner)).toList();
  }

  @Override
  public boolean equals(Object o) {
    return o == this;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  @Override
  public String toString() {
    return "[not loaded: " + relationship.label() + "]";
  }
}
