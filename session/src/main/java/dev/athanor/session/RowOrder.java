package dev.athanor.session;

import dev.athanor.error.InvalidRequestException;
import dev.athanor.sql.Constraint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * Orders, within one flush, the rows of tables whose rows refer to each other: a table with a
 * foreign key to itself (a tree of employees and managers), or a group of tables with foreign keys
 * in a cycle ({@link MapperGraph}). A new row is inserted after the new rows it refers to, and a
 * deleted row is deleted before the deleted rows it refers to. Plain Java, no IO; the order of
 * {@code add()} is kept wherever the references allow. Rows that refer to each other in a cycle
 * cannot be ordered and are refused by name before anything is sent.
 */
final class RowOrder {
  private RowOrder() {}

  /** A foreign key from one mapper's table to another's (or its own) within a group. */
  private record Reference(Mapper<Object> from, Constraint.ForeignKey fk, Mapper<Object> to) {}

  /** The foreign keys among the group's tables, self-references included. */
  private static List<Reference> references(List<Mapper<Object>> group) {
    List<Reference> out = new ArrayList<>();
    for (Mapper<Object> from : group) {
      for (Constraint.ForeignKey fk : from.table().foreignKeys()) {
        for (Mapper<Object> to : group) {
          if (MapperGraph.refersTo(from, fk, to)) {
            out.add(new Reference(from, fk, to));
          }
        }
      }
    }
    return out;
  }

  /**
   * INSERT order for one group's new rows: each row after the new rows it refers to (current
   * values); rows of one level stay together by mapper, so that they batch.
   */
  static List<InstanceState> parentsFirst(List<Mapper<Object>> group, List<InstanceState> states) {
    List<Reference> refs = references(group);
    if (refs.isEmpty() || states.size() < 2) {
      return group.size() == 1 ? states : byMapper(group, states);
    }
    Map<InstanceState, List<InstanceState>> parents =
        parentsOf(refs, states, (s, a) -> a.read(s.object));
    List<InstanceState> out = new ArrayList<>(states.size());
    for (List<InstanceState> level : levels(group, states, parents, "insert")) {
      out.addAll(group.size() == 1 ? level : byMapper(group, level));
    }
    return out;
  }

  /**
   * DELETE order for one group's deleted rows, as levels: the rows no other deleted row refers to
   * first (committed values), then the rows only those referred to, and so on.
   */
  static List<List<InstanceState>> childrenFirst(
      List<Mapper<Object>> group, List<InstanceState> states) {
    List<Reference> refs = references(group);
    if (refs.isEmpty() || states.size() < 2) {
      return List.of(group.size() == 1 ? states : byMapper(group, states));
    }
    Map<InstanceState, List<InstanceState>> parents = parentsOf(refs, states, RowOrder::committed);
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
    List<List<InstanceState>> levels = levels(group, states, children, "delete");
    if (group.size() > 1) {
      levels.replaceAll(level -> byMapper(group, level));
    }
    return levels;
  }

  /** The rows, grouped by mapper in the group's order, each mapper's rows in the given order. */
  private static List<InstanceState> byMapper(
      List<Mapper<Object>> group, List<InstanceState> states) {
    List<InstanceState> out = new ArrayList<>(states.size());
    for (Mapper<Object> m : group) {
      for (InstanceState s : states) {
        if (s.mapper == m) {
          out.add(s);
        }
      }
    }
    return out;
  }

  private static @Nullable Object committed(InstanceState s, Attribute<Object, ?> a) {
    Object[] c = s.committed;
    return c == null ? a.read(s.object) : c[s.attributes().indexOf(a)];
  }

  /** For each row, the rows of {@code states} its references name. */
  private static Map<InstanceState, List<InstanceState>> parentsOf(
      List<Reference> refs,
      List<InstanceState> states,
      BiFunction<InstanceState, Attribute<Object, ?>, @Nullable Object> value) {
    Map<InstanceState, List<InstanceState>> parents = new IdentityHashMap<>();
    for (InstanceState s : states) {
      parents.put(s, new ArrayList<>());
    }
    for (Reference ref : refs) {
      List<Attribute<Object, ?>> from = attributes(ref.from(), ref.fk().columns());
      List<Attribute<Object, ?>> to = attributes(ref.to(), ref.fk().targetColumns());
      if (from == null || to == null) {
        continue; // a column the class does not map: nothing to order by
      }
      Map<List<Object>, InstanceState> byTarget = new HashMap<>();
      for (InstanceState s : states) {
        if (s.mapper == ref.to()) {
          List<Object> key = values(s, to, value);
          if (key != null) {
            byTarget.put(key, s);
          }
        }
      }
      for (InstanceState s : states) {
        if (s.mapper != ref.from()) {
          continue;
        }
        List<Object> pointed = values(s, from, value);
        InstanceState parent = pointed == null ? null : byTarget.get(pointed);
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
      List<Mapper<Object>> group,
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
        throw cycle(group, left, what);
      }
      for (InstanceState s : level) {
        done.put(s, true);
      }
      left.removeIf(done::containsKey);
      out.add(level);
    }
    return out;
  }

  private static InvalidRequestException cycle(
      List<Mapper<Object>> group, List<InstanceState> left, String what) {
    StringBuilder rows = new StringBuilder();
    for (InstanceState s : left.subList(0, Math.min(left.size(), 5))) {
      if (rows.length() > 0) {
        rows.append(", ");
      }
      rows.append(s.object);
    }
    Set<String> tables = new LinkedHashSet<>();
    for (Mapper<Object> m : group) {
      tables.add(m.table().name() + " (" + m.type().getSimpleName() + ")");
    }
    String through =
        group.size() == 1
            ? "the table's foreign key to itself"
            : "the foreign keys between " + String.join(", ", tables);
    return new InvalidRequestException(
        "Cannot order the rows to "
            + what
            + " in "
            + String.join(", ", tables)
            + ": "
            + rows
            + " refer to each other in a cycle through "
            + through
            + ". "
            + (what.equals("insert")
                ? "Add one of them without the reference, flush, then set it (a second flush"
                    + " writes it as an UPDATE)."
                : "Clear the reference of one of them and flush before deleting them."));
  }
}
