package dev.athanor.session;

import dev.athanor.error.InvalidRequestException;
import dev.athanor.sql.Constraint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * Orders the rows of one table that refer to rows of the same table (a foreign key of a table to
 * itself: a tree of employees and managers, a thread of replies) within one flush: a new row is
 * inserted after the new row it refers to, and a deleted row is deleted before the deleted row it
 * refers to. Plain Java, no IO; the order of {@code add()} is kept wherever the references allow.
 * Rows that refer to each other in a cycle cannot be ordered and are refused by name.
 */
final class RowOrder {
  private RowOrder() {}

  /** The table's foreign keys to itself. */
  private static List<Constraint.ForeignKey> selfReferences(Mapper<?> mapper) {
    List<Constraint.ForeignKey> out = new ArrayList<>();
    for (Constraint.ForeignKey fk : mapper.table().foreignKeys()) {
      if (fk.targetTable().equals(mapper.table().name())) {
        out.add(fk);
      }
    }
    return out;
  }

  /** INSERT order: each row after the pending row its self-reference names (current values). */
  static List<InstanceState> parentsFirst(Mapper<Object> mapper, List<InstanceState> states) {
    List<Constraint.ForeignKey> fks = selfReferences(mapper);
    if (fks.isEmpty() || states.size() < 2) {
      return states;
    }
    Map<InstanceState, List<InstanceState>> parents =
        parentsOf(mapper, fks, states, (s, a) -> a.read(s.object));
    return levels(mapper, states, parents, "insert").stream().flatMap(List::stream).toList();
  }

  /**
   * DELETE order, as levels: the rows no other deleted row refers to first (committed values), then
   * the rows only those referred to, and so on. One level when the table has no self-reference.
   */
  static List<List<InstanceState>> childrenFirst(
      Mapper<Object> mapper, List<InstanceState> states) {
    List<Constraint.ForeignKey> fks = selfReferences(mapper);
    if (fks.isEmpty() || states.size() < 2) {
      return List.of(states);
    }
    Map<InstanceState, List<InstanceState>> parents =
        parentsOf(mapper, fks, states, RowOrder::committed);
    // Children first: invert the edges, so that a row waits for the rows that refer to it.
    Map<InstanceState, List<InstanceState>> children = new IdentityHashMap<>();
    for (InstanceState s : states) {
      children.put(s, new ArrayList<>());
    }
    for (Map.Entry<InstanceState, List<InstanceState>> e : parents.entrySet()) {
      for (InstanceState p : e.getValue()) {
        children.get(p).add(e.getKey());
      }
    }
    return levels(mapper, states, children, "delete");
  }

  private static @Nullable Object committed(InstanceState s, Attribute<Object, ?> a) {
    Object[] c = s.committed;
    return c == null ? a.read(s.object) : c[s.attributes().indexOf(a)];
  }

  /** For each row, the rows of {@code states} its self-references name. */
  private static Map<InstanceState, List<InstanceState>> parentsOf(
      Mapper<Object> mapper,
      List<Constraint.ForeignKey> fks,
      List<InstanceState> states,
      BiFunction<InstanceState, Attribute<Object, ?>, @Nullable Object> value) {
    Map<InstanceState, List<InstanceState>> parents = new IdentityHashMap<>();
    for (InstanceState s : states) {
      parents.put(s, new ArrayList<>());
    }
    for (Constraint.ForeignKey fk : fks) {
      List<Attribute<Object, ?>> from = attributes(mapper, fk.columns());
      List<Attribute<Object, ?>> to = attributes(mapper, fk.targetColumns());
      if (from == null || to == null) {
        continue; // a column the class does not map: nothing to order by
      }
      Map<List<Object>, InstanceState> byTarget = new HashMap<>();
      for (InstanceState s : states) {
        List<Object> key = values(s, to, value);
        if (key != null) {
          byTarget.put(key, s);
        }
      }
      for (InstanceState s : states) {
        List<Object> ref = values(s, from, value);
        InstanceState parent = ref == null ? null : byTarget.get(ref);
        if (parent != null && parent != s) {
          parents.get(s).add(parent);
        }
      }
    }
    return parents;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static @Nullable List<Attribute<Object, ?>> attributes(
      Mapper<Object> mapper, List<String> columns) {
    List<Attribute<Object, ?>> out = new ArrayList<>();
    for (String c : columns) {
      Attribute found = null;
      for (Attribute<Object, ?> a : mapper.attributes()) {
        if (a.column().name().equals(c)) {
          found = a;
        }
      }
      if (found == null) {
        return null;
      }
      out.add(found);
    }
    return out;
  }

  /** The values of some attributes of a row, or {@code null} if any is null (no reference). */
  private static @Nullable List<Object> values(
      InstanceState s,
      List<Attribute<Object, ?>> attributes,
      BiFunction<InstanceState, Attribute<Object, ?>, @Nullable Object> value) {
    List<Object> out = new ArrayList<>(attributes.size());
    for (Attribute<Object, ?> a : attributes) {
      Object v = value.apply(s, a);
      if (v == null) {
        return null;
      }
      out.add(v instanceof Number n ? (Object) n.longValue() : v);
    }
    return out;
  }

  /**
   * Splits rows into levels: each row in a level after every row it waits for; within a level, the
   * given order. A cycle is refused.
   */
  private static List<List<InstanceState>> levels(
      Mapper<Object> mapper,
      List<InstanceState> states,
      Map<InstanceState, List<InstanceState>> waitsFor,
      String what) {
    List<List<InstanceState>> out = new ArrayList<>();
    Map<InstanceState, Boolean> done = new IdentityHashMap<>();
    List<InstanceState> left = new ArrayList<>(states);
    while (!left.isEmpty()) {
      List<InstanceState> level = new ArrayList<>();
      for (InstanceState s : left) {
        boolean ready = true;
        for (InstanceState w : waitsFor.get(s)) {
          if (!done.containsKey(w)) {
            ready = false;
            break;
          }
        }
        if (ready) {
          level.add(s);
        }
      }
      if (level.isEmpty()) {
        throw cycle(mapper, left, what);
      }
      for (InstanceState s : level) {
        done.put(s, true);
      }
      left.removeAll(level);
      out.add(level);
    }
    return out;
  }

  private static InvalidRequestException cycle(
      Mapper<Object> mapper, List<InstanceState> left, String what) {
    StringBuilder rows = new StringBuilder();
    for (InstanceState s : left.subList(0, Math.min(left.size(), 5))) {
      if (rows.length() > 0) {
        rows.append(", ");
      }
      rows.append(s.object);
    }
    return new InvalidRequestException(
        "Cannot order the rows to "
            + what
            + " in "
            + mapper.table().name()
            + " ("
            + mapper.type().getSimpleName()
            + "): "
            + rows
            + " refer to each other in a cycle through the table's foreign key to itself. "
            + (what.equals("insert")
                ? "Add one of them without the reference, flush, then set it (a second flush"
                    + " writes it as an UPDATE)."
                : "Clear the reference of one of them and flush before deleting them."));
  }
}
