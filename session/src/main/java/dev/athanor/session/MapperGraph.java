package dev.athanor.session;

import dev.athanor.sql.Constraint;
import dev.athanor.sql.MetaData;
import dev.athanor.sql.Table;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order in which a flush writes the rows of several mappers: a mapper's rows go after the rows
 * of the mappers it depends on. A mapper depends on another when its table has a foreign key to the
 * other's table, or when it was told so ({@link Mapper#dependsOn}: how relationships add their
 * edges). Mappers that depend on each other in a cycle form one group, whose rows {@link RowOrder}
 * orders one by one. Plain Java, no IO.
 */
final class MapperGraph {
  private MapperGraph() {}

  /**
   * Returns the mappers in groups, parents first: every group after the groups it depends on; a
   * group of more than one mapper is a cycle. Where the edges leave a choice, the order of the
   * tables in their {@link MetaData} (declaration order, referenced tables first) decides.
   */
  static List<List<Mapper<Object>>> parentsFirst(Collection<Mapper<Object>> mappers) {
    List<Mapper<Object>> nodes = new ArrayList<>(new LinkedHashSet<>(mappers));
    if (nodes.size() == 1) {
      return List.of(nodes);
    }
    Map<Mapper<Object>, Integer> rank = baseRank(nodes);
    nodes.sort(Comparator.comparingInt(rank::get));
    Map<Mapper<Object>, List<Mapper<Object>>> parents = new IdentityHashMap<>();
    for (Mapper<Object> m : nodes) {
      parents.put(m, parentsOf(m, nodes));
    }
    List<List<Mapper<Object>>> groups = new Tarjan(nodes, parents).groups();
    return topological(groups, parents, rank);
  }

  /** The mappers among {@code nodes}, other than {@code m}, whose rows {@code m}'s rows need. */
  static List<Mapper<Object>> parentsOf(Mapper<Object> m, List<Mapper<Object>> nodes) {
    List<Mapper<Object>> out = new ArrayList<>();
    for (Constraint.ForeignKey fk : m.table().foreignKeys()) {
      for (Mapper<Object> n : nodes) {
        if (n != m && refersTo(m, fk, n) && !out.contains(n)) {
          out.add(n);
        }
      }
    }
    for (Mapper<?> d : m.dependencies()) {
      for (Mapper<Object> n : nodes) {
        if (n == d && n != m && !out.contains(n)) {
          out.add(n);
        }
      }
    }
    return out;
  }

  /** Whether {@code fk} of {@code from}'s table points at {@code to}'s table. */
  static boolean refersTo(Mapper<?> from, Constraint.ForeignKey fk, Mapper<?> to) {
    Table target = to.table();
    return fk.targetTable().equals(target.name()) && from.table().metadata() == target.metadata();
  }

  private static Map<Mapper<Object>, Integer> baseRank(List<Mapper<Object>> nodes) {
    Map<Table, Integer> tableRank = new HashMap<>();
    Set<MetaData> metas = new LinkedHashSet<>();
    for (Mapper<Object> m : nodes) {
      metas.add(m.table().metadata());
    }
    int offset = 0;
    for (MetaData md : metas) {
      List<Table> sorted = md.sortedTables();
      for (int i = 0; i < sorted.size(); i++) {
        tableRank.putIfAbsent(sorted.get(i), offset + i);
      }
      offset += sorted.size();
    }
    Map<Mapper<Object>, Integer> rank = new IdentityHashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      Mapper<Object> m = nodes.get(i);
      // Two mappers of one table (not allowed today) would keep their given order.
      rank.put(m, tableRank.getOrDefault(m.table(), offset) * nodes.size() + i);
    }
    return rank;
  }

  /** Orders groups so that each comes after the groups it depends on, lowest rank first. */
  private static List<List<Mapper<Object>>> topological(
      List<List<Mapper<Object>>> groups,
      Map<Mapper<Object>, List<Mapper<Object>>> parents,
      Map<Mapper<Object>, Integer> rank) {
    Map<Mapper<Object>, Integer> groupOf = new IdentityHashMap<>();
    for (int g = 0; g < groups.size(); g++) {
      for (Mapper<Object> m : groups.get(g)) {
        groupOf.put(m, g);
      }
      groups.get(g).sort(Comparator.comparingInt(rank::get));
    }
    List<Set<Integer>> waitsFor = new ArrayList<>();
    for (List<Mapper<Object>> group : groups) {
      Set<Integer> w = new LinkedHashSet<>();
      for (Mapper<Object> m : group) {
        for (Mapper<Object> p : parents.get(m)) {
          int pg = groupOf.get(p);
          if (pg != groupOf.get(m)) {
            w.add(pg);
          }
        }
      }
      waitsFor.add(w);
    }
    List<List<Mapper<Object>>> out = new ArrayList<>(groups.size());
    boolean[] done = new boolean[groups.size()];
    for (int emitted = 0; emitted < groups.size(); emitted++) {
      int best = -1;
      for (int g = 0; g < groups.size(); g++) {
        if (done[g] || !allDone(waitsFor.get(g), done)) {
          continue;
        }
        if (best < 0 || rank.get(groups.get(g).get(0)) < rank.get(groups.get(best).get(0))) {
          best = g;
        }
      }
      done[best] = true; // the groups of a condensation form no cycle, so one is always ready
      out.add(groups.get(best));
    }
    return out;
  }

  private static boolean allDone(Set<Integer> groups, boolean[] done) {
    for (int g : groups) {
      if (!done[g]) {
        return false;
      }
    }
    return true;
  }

  /** Tarjan's strongly connected components: mappers that depend on each other in a cycle. */
  private static final class Tarjan {
    private final List<Mapper<Object>> nodes;
    private final Map<Mapper<Object>, List<Mapper<Object>>> edges;
    private final Map<Mapper<Object>, Integer> index = new IdentityHashMap<>();
    private final Map<Mapper<Object>, Integer> low = new IdentityHashMap<>();
    private final Set<Mapper<Object>> onStack =
        java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private final Deque<Mapper<Object>> stack = new ArrayDeque<>();
    private final List<List<Mapper<Object>>> groups = new ArrayList<>();
    private int next;

    Tarjan(List<Mapper<Object>> nodes, Map<Mapper<Object>, List<Mapper<Object>>> edges) {
      this.nodes = nodes;
      this.edges = edges;
    }

    List<List<Mapper<Object>>> groups() {
      for (Mapper<Object> m : nodes) {
        if (!index.containsKey(m)) {
          visit(m);
        }
      }
      return groups;
    }

    private void visit(Mapper<Object> m) {
      index.put(m, next);
      low.put(m, next);
      next++;
      stack.push(m);
      onStack.add(m);
      for (Mapper<Object> p : edges.get(m)) {
        if (!index.containsKey(p)) {
          visit(p);
          low.put(m, Math.min(low.get(m), low.get(p)));
        } else if (onStack.contains(p)) {
          low.put(m, Math.min(low.get(m), index.get(p)));
        }
      }
      if (low.get(m).equals(index.get(m))) {
        List<Mapper<Object>> group = new ArrayList<>();
        Mapper<Object> x;
        do {
          x = stack.pop();
          onStack.remove(x);
          group.add(x);
        } while (x != m);
        groups.add(group);
      }
    }
  }
}
