package dev.athanor.session;

import dev.athanor.sql.Sql;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A row switch (SQLAlchemy's name): a new object given the key of an object deleted in the same
 * flush takes over that object's row. The flush writes it with one UPDATE of every column but the
 * key, where the key (and, versioned, the deleted object's version) is, instead of an INSERT that
 * the key's constraint would refuse, since DELETEs run after INSERTs.
 */
final class RowSwitch {
  /** Stands for "no identity token" where a map key cannot be null. */
  private static final Object NO_TOKEN = new Object();

  private RowSwitch() {}

  /**
   * The pending objects whose full key is the key of an object marked for deletion, each with that
   * object (in the order of {@code pending}).
   */
  static Map<InstanceState, InstanceState> find(
      Collection<InstanceState> pending, Collection<InstanceState> deleted) {
    if (pending.isEmpty() || deleted.isEmpty()) {
      return Map.of();
    }
    Map<IdentityKey, InstanceState> gone = new java.util.HashMap<>();
    for (InstanceState d : deleted) {
      if (d.key != null) {
        gone.put(d.key, d);
      }
    }
    Map<InstanceState, InstanceState> out = new LinkedHashMap<>();
    for (InstanceState p : pending) {
      IdentityKey k = p.keyFromFields();
      if (!k.values().contains(null)) {
        InstanceState d = gone.remove(k);
        if (d != null) {
          out.put(p, d);
        }
      }
    }
    return out;
  }

  /**
   * The UPDATEs of row switches: every column of the new object but its key, where the key is, and
   * (versioned) where the deleted object's version is.
   */
  static void updates(
      Mapper<Object> mapper,
      List<InstanceState> states,
      Map<InstanceState, InstanceState> switches,
      List<FlushPlan.Step> out) {
    Attribute<Object, ?> version =
        mapper.version() == null ? null : FlushPlan.cast(mapper.version());
    List<Attribute<Object, ?>> keys = FlushPlan.cast(mapper.primaryKey());
    Map<Object, FlushPlan.Step> byToken = new LinkedHashMap<>();
    for (InstanceState s : states) {
      InstanceState old = switches.get(s);
      Map<String, @Nullable Object> p = new LinkedHashMap<>();
      for (Attribute<Object, ?> a : FlushPlan.cast(mapper.attributes())) {
        if (!keys.contains(a) && a != version) {
          p.put(a.column().name(), a.read(s.object));
        }
      }
      for (int i = 0; i < keys.size(); i++) {
        p.put("_pk_" + i, keys.get(i).read(s.object));
      }
      if (version != null) {
        Object was = FlushPlan.committed(old, version);
        p.put("_version", was);
        p.put(version.column().name(), FlushPlan.next(was));
      }
      FlushPlan.Step step =
          byToken.computeIfAbsent(
              s.token == null ? NO_TOKEN : s.token,
              k ->
                  new FlushPlan.Step(
                      FlushPlan.Kind.UPDATE,
                      mapper,
                      FlushPlan.keyed(Sql.update(mapper.table()), keys, version),
                      List.of()));
      step.params.add(p);
      step.states.add(s);
      step.replaced.add(old);
      step.expectedRows++;
    }
    out.addAll(byToken.values());
  }
}
