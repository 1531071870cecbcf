package dev.athanor.session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Which other objects an operation on an object reaches (SQLAlchemy's cascades): the seam where a
 * relationship's {@code save-update}, {@code delete}, {@code merge} and {@code expunge} cascades
 * plug in. A mapper's cascades ({@link Mapper#addCascade}) are asked by {@link Session#add}, {@link
 * Session#delete}, {@link Session#merge} and {@link Session#expunge}; column attributes reach
 * nothing.
 */
interface Cascade {
  /** The session operations a cascade can follow. */
  enum Operation {
    ADD,
    DELETE,
    MERGE,
    EXPUNGE
  }

  /** The objects {@code operation} on {@code entity} reaches in one step; empty for none. */
  Collection<?> reach(Operation operation, Object entity);

  /**
   * Every object {@code operation} on {@code entity} reaches, directly or through others, in the
   * order met, each once, {@code entity} itself left out. Objects of unmapped classes are skipped.
   */
  static List<Object> reached(Operation operation, Object entity) {
    Mapper<?> first = Registry.findMapper(entity.getClass());
    if (first == null || first.cascades().isEmpty()) {
      return List.of();
    }
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    seen.add(entity);
    List<Object> out = new ArrayList<>();
    List<Object> frontier = List.of(entity);
    while (!frontier.isEmpty()) {
      List<Object> next = new ArrayList<>();
      for (Object o : frontier) {
        Mapper<?> m = Registry.findMapper(o.getClass());
        if (m == null) {
          continue;
        }
        for (Cascade c : m.cascades()) {
          for (Object r : c.reach(operation, o)) {
            if (r != null && seen.add(r)) {
              out.add(r);
              next.add(r);
            }
          }
        }
      }
      frontier = next;
    }
    return out;
  }
}
