package dev.athanor.session;

import dev.athanor.engine.Engine;
import dev.athanor.error.ArgumentException;
import dev.athanor.sql.Column;
import dev.athanor.sql.Delete;
import dev.athanor.sql.Executable;
import dev.athanor.sql.Insert;
import dev.athanor.sql.Select;
import dev.athanor.sql.Table;
import dev.athanor.sql.Update;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where a session's statements go: a default engine, engines named per mapped class or table, and
 * an optional router asked first. Immutable; a {@link SessionMaker} hands each session its own.
 */
final class SessionBinds {
  final Engine defaultEngine;
  private final Map<Class<?>, Engine> byClass;
  private final Map<Table, Engine> byTable;
  final @Nullable BindRouter router;

  SessionBinds(
      Engine defaultEngine,
      Map<Class<?>, Engine> byClass,
      Map<Table, Engine> byTable,
      @Nullable BindRouter router) {
    this.defaultEngine = defaultEngine;
    this.byClass = Map.copyOf(byClass);
    this.byTable = Map.copyOf(byTable);
    this.router = router;
  }

  static SessionBinds of(Engine engine) {
    return new SessionBinds(engine, Map.of(), Map.of(), null);
  }

  /**
   * Sorts a map of binds keyed by mapped class, {@link Mapper} or {@link Table} into the two maps;
   * anything else is refused, naming the key.
   */
  static SessionBinds of(
      Engine engine, Map<?, ? extends Engine> binds, @Nullable BindRouter router) {
    Map<Class<?>, Engine> byClass = new LinkedHashMap<>();
    Map<Table, Engine> byTable = new LinkedHashMap<>();
    for (Map.Entry<?, ? extends Engine> e : binds.entrySet()) {
      Object key = e.getKey();
      if (key instanceof Class<?> c) {
        byClass.put(c, e.getValue());
      } else if (key instanceof Mapper<?> m) {
        byClass.put(m.type(), e.getValue());
      } else if (key instanceof Table t) {
        byTable.put(t, e.getValue());
      } else {
        throw new ArgumentException(
            "A session bind is keyed by a mapped class, a Mapper or a Table, not "
                + (key == null ? "null" : key.getClass().getName() + " (" + key + ")")
                + ".");
      }
    }
    return new SessionBinds(engine, byClass, byTable, router);
  }

  boolean isSingle() {
    return router == null && byClass.isEmpty() && byTable.isEmpty();
  }

  /** The engine for a request: the BIND option, the router, the class, the table, the default. */
  Engine resolve(BindRequest request) {
    Engine pinned = request.options().get(Session.BIND);
    if (pinned != null) {
      return pinned;
    }
    if (isSingle()) {
      return defaultEngine;
    }
    BindRouter r = router;
    if (r != null) {
      Engine routed = r.route(request);
      if (routed != null) {
        return routed;
      }
    }
    Mapper<?> m = request.mapper();
    if (m != null && !byClass.isEmpty()) {
      for (Class<?> c = m.type(); c != null; c = c.getSuperclass()) {
        Engine e = byClass.get(c);
        if (e != null) {
          return e;
        }
      }
    }
    if (!byTable.isEmpty()) {
      Table t = m != null ? m.table() : tableOf(request.statement());
      Engine e = t == null ? null : byTable.get(t);
      if (e != null) {
        return e;
      }
    }
    return defaultEngine;
  }

  /** The mapped class a statement is about: the first one it selects, or its target. */
  static @Nullable Mapper<?> mapperOf(@Nullable Executable statement) {
    if (statement instanceof Select s) {
      for (Object source : s.selectedSources()) {
        if (source instanceof Mapper<?> m) {
          return m;
        }
      }
      return null;
    }
    if (statement instanceof dev.athanor.sql.Statement st
        && st.annotations().get(Mapper.ENTITY) instanceof Mapper<?> m) {
      return m;
    }
    return null;
  }

  /** The table a Core statement is about: its target, or the first table it selects from. */
  private static @Nullable Table tableOf(@Nullable Executable statement) {
    if (statement instanceof Insert i) {
      return i.table();
    }
    if (statement instanceof Update u) {
      return u.table();
    }
    if (statement instanceof Delete d) {
      return d.table();
    }
    if (statement instanceof Select s) {
      for (Object source : s.selectedSources()) {
        if (source instanceof Table t) {
          return t;
        }
        if (source instanceof Column<?> c) {
          return c.table();
        }
      }
    }
    return null;
  }
}
