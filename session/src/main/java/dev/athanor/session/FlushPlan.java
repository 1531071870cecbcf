package dev.athanor.session;

import static dev.athanor.sql.Sql.bindparam;

import dev.athanor.engine.internal.ParameterRow;
import dev.athanor.error.StaleDataException;
import dev.athanor.result.Result;
import dev.athanor.result.Row;
import dev.athanor.sql.Column;
import dev.athanor.sql.Executable;
import dev.athanor.sql.Expression;
import dev.athanor.sql.Sql;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One flush, planned in plain Java before any IO (DESIGN.md, decision 2): INSERTs of new objects,
 * parents' tables before their children's, one executemany per table and column set (sent as
 * multi-row {@code INSERT ... VALUES ... RETURNING} for generated keys and server defaults);
 * UPDATEs of the changed columns only, one executemany per table and changed-column set, checking
 * the version counter; DELETEs, children first, as one {@code IN} list per table where the key
 * allows. The session runs the {@link Step}s in order, then {@link #apply}s the results to the
 * objects; a flush that fails part way changes no object.
 */
final class FlushPlan {
  enum Kind {
    INSERT,
    UPDATE,
    DELETE
  }

  /** One statement of the flush with its parameter sets and the objects they come from. */
  static final class Step {
    final Kind kind;
    final Mapper<Object> mapper;
    final Executable statement;
    final List<Map<String, @Nullable Object>> params = new ArrayList<>();
    final List<InstanceState> states = new ArrayList<>();

    /** For an INSERT: the attributes read back (RETURNING), in column order. */
    final List<Attribute<Object, ?>> returned;

    /** For an INSERT: server-default attributes not read back, expired once it ran. */
    List<Attribute<Object, ?>> deferred = List.of();

    /**
     * For an UPDATE that is a row switch: the deleted objects whose rows the new objects take over,
     * one per state, in the same order; empty for a plain UPDATE.
     */
    final List<InstanceState> replaced = new ArrayList<>();

    /** The rows an UPDATE or DELETE must match. */
    int expectedRows;

    @Nullable Result result;

    /** The identity token its objects share (a step writes to one token's database), or null. */
    @Nullable Object token() {
      return states.isEmpty() ? null : states.get(0).token;
    }

    Step(
        Kind kind,
        Mapper<Object> mapper,
        Executable statement,
        List<Attribute<Object, ?>> returned) {
      this.kind = kind;
      this.mapper = mapper;
      this.statement = statement;
      this.returned = returned;
    }

    /** Keys a stale-data error lists before it only counts the rest. */
    private static final int LISTED_KEYS = 10;

    /** Checks what the database answered; raises for a stale UPDATE or DELETE. */
    void record(Result r) {
      result = r;
      if (kind != Kind.INSERT && r.rowcount() >= 0 && r.rowcount() != expectedRows) {
        // Names the rows the statement was for: a page of a large flush lists only its first few.
        List<Object> keys = new ArrayList<>();
        for (InstanceState s : states.subList(0, Math.min(states.size(), LISTED_KEYS))) {
          keys.add(s.key == null ? "?" : s.key.valuesText());
        }
        if (states.size() > LISTED_KEYS) {
          keys.add("... " + states.size() + " rows in all");
        }
        Attribute<Object, ?> v = mapper.version() == null ? null : cast(mapper.version());
        String expected = "";
        if (v != null) {
          List<Object> versions = new ArrayList<>();
          for (InstanceState s : states.subList(0, Math.min(states.size(), LISTED_KEYS))) {
            versions.add(committed(s, v));
          }
          expected = " with version " + (versions.size() == 1 ? versions.get(0) : versions);
        }
        throw new StaleDataException(
            (kind == Kind.UPDATE ? "UPDATE" : "DELETE")
                + " of "
                + mapper.type().getSimpleName()
                + " "
                + (keys.size() == 1 ? keys.get(0) : keys)
                + expected
                + " matched "
                + r.rowcount()
                + " row(s) where "
                + expectedRows
                + " were expected: the row was changed or deleted by someone else since it was "
                + "loaded. The transaction was rolled back; load the object again and retry.");
      }
    }
  }

  private static final dev.athanor.sql.ExecutionOptions MANY_VALUES =
      dev.athanor.sql.ExecutionOptions.DEFAULTS.with(
          dev.athanor.sql.ExecutionOptions.UPDATE_MANY_VALUES, true);

  private final List<Step> steps;

  private FlushPlan(List<Step> steps) {
    this.steps = steps;
  }

  List<Step> steps() {
    return steps;
  }

  boolean isEmpty() {
    return steps.isEmpty();
  }

  /**
   * Plans a flush of {@code pending} (to insert), {@code persistent} (inserted or loaded; those
   * whose attributes changed are updated) and {@code deleted} (to delete).
   */
  static FlushPlan of(
      Collection<InstanceState> pending,
      Collection<InstanceState> persistent,
      Collection<InstanceState> deleted) {
    // Only changed objects are updated; with nothing to write, nothing is planned (an autoflush
    // before every query of a session that only reads ends here).
    List<InstanceState> changedStates = new ArrayList<>();
    for (InstanceState s : persistent) {
      if (s.committed != null && s.status == InstanceState.Status.PERSISTENT && s.isModified()) {
        changedStates.add(s);
      }
    }
    if (pending.isEmpty() && changedStates.isEmpty() && deleted.isEmpty()) {
      return new FlushPlan(List.of());
    }
    // A new object with the key of an object deleted in this flush takes over its row with one
    // UPDATE (SQLAlchemy's row switch): an INSERT would break the key's constraint, as the
    // DELETEs run last.
    Map<InstanceState, InstanceState> switches = RowSwitch.find(pending, deleted);
    if (!switches.isEmpty()) {
      pending = pending.stream().filter(st -> !switches.containsKey(st)).toList();
      Set<InstanceState> taken =
          java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      taken.addAll(switches.values());
      deleted = deleted.stream().filter(st -> !taken.contains(st)).toList();
    }
    List<Step> steps = new ArrayList<>();
    List<List<Mapper<Object>>> groups =
        MapperGraph.parentsFirst(mappersOf(pending, changedStates, deleted, switches.keySet()));
    if (!pending.isEmpty()) {
      // INSERTs, parents first; within a group of tables that refer to each other (or a table
      // that refers to itself), row by row.
      Map<Mapper<Object>, List<InstanceState>> byMapper = group(pending);
      for (List<Mapper<Object>> g : groups) {
        List<InstanceState> rows = RowOrder.parentsFirst(g, statesOf(g, byMapper));
        for (List<InstanceState> run : runs(rows)) {
          inserts(run.get(0).mapper, run, steps);
        }
      }
    }
    if (!switches.isEmpty()) {
      Map<Mapper<Object>, List<InstanceState>> byMapper = group(switches.keySet());
      for (List<Mapper<Object>> g : groups) {
        for (Mapper<Object> m : g) {
          List<InstanceState> states = byMapper.get(m);
          if (states != null) {
            RowSwitch.updates(m, states, switches, steps);
          }
        }
      }
    }
    if (!changedStates.isEmpty()) {
      // UPDATEs of what changed.
      Map<Mapper<Object>, List<InstanceState>> changed = group(changedStates);
      for (List<Mapper<Object>> g : groups) {
        for (Mapper<Object> m : g) {
          List<InstanceState> states = changed.get(m);
          if (states != null) {
            updates(m, states, steps);
          }
        }
      }
    }
    if (!deleted.isEmpty()) {
      // DELETEs, children first, a level of rows at a time.
      Map<Mapper<Object>, List<InstanceState>> gone = group(deleted);
      for (List<Mapper<Object>> g : groups.reversed()) {
        for (List<InstanceState> level : RowOrder.childrenFirst(g, statesOf(g, gone))) {
          for (List<InstanceState> run : runs(level)) {
            deleteLevel(run.get(0).mapper, run, steps);
          }
        }
      }
    }
    return new FlushPlan(steps);
  }

  private static List<Mapper<Object>> mappersOf(
      Collection<InstanceState> a,
      Collection<InstanceState> b,
      Collection<InstanceState> c,
      Collection<InstanceState> d) {
    Set<Mapper<Object>> out = new LinkedHashSet<>();
    for (Collection<InstanceState> states : List.of(a, b, c, d)) {
      for (InstanceState s : states) {
        out.add(s.mapper);
      }
    }
    return new ArrayList<>(out);
  }

  /** The states of a group's mappers, mapper by mapper in the group's order. */
  private static List<InstanceState> statesOf(
      List<Mapper<Object>> group, Map<Mapper<Object>, List<InstanceState>> byMapper) {
    if (group.size() == 1) {
      return byMapper.getOrDefault(group.get(0), List.of());
    }
    List<InstanceState> out = new ArrayList<>();
    for (Mapper<Object> m : group) {
      out.addAll(byMapper.getOrDefault(m, List.of()));
    }
    return out;
  }

  /** Splits ordered rows into runs of consecutive rows of one mapper and identity token. */
  private static List<List<InstanceState>> runs(List<InstanceState> rows) {
    List<List<InstanceState>> out = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= rows.size(); i++) {
      if (i == rows.size()
          || rows.get(i).mapper != rows.get(start).mapper
          || !java.util.Objects.equals(rows.get(i).token, rows.get(start).token)) {
        if (i > start) {
          out.add(start == 0 && i == rows.size() ? rows : rows.subList(start, i));
        }
        start = i;
      }
    }
    return out;
  }

  private static Map<Mapper<Object>, List<InstanceState>> group(Collection<InstanceState> states) {
    Map<Mapper<Object>, List<InstanceState>> byMapper = new java.util.IdentityHashMap<>();
    for (InstanceState s : states) {
      byMapper.computeIfAbsent(s.mapper, m -> new ArrayList<>()).add(s);
    }
    return byMapper;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static List<Attribute<Object, ?>> cast(List<? extends Attribute<?, ?>> list) {
    return (List) list;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static Attribute<Object, ?> cast(Attribute<?, ?> a) {
    return (Attribute) a;
  }

  static @Nullable Object committed(InstanceState s, Attribute<Object, ?> a) {
    Object[] c = s.committed;
    if (c == null) {
      return null;
    }
    return c[s.attributes().indexOf(a)];
  }

  private static void inserts(Mapper<Object> mapper, List<InstanceState> added, List<Step> out) {
    // Consecutive objects with the same columns share one executemany; the order of add() is
    // kept (rows of a table that refers to itself after the new rows they refer to), so
    // generated keys ascend in that order (SQLAlchemy batches the same way).
    Step current = null;
    Attribute<Object, ?> version = mapper.version() == null ? null : cast(mapper.version());
    List<Attribute<Object, ?>> attrs = cast(mapper.attributes());
    int n = attrs.size();
    // Which attributes a row sends, as a mask (a BitSet beside it past 64 attributes): rows that
    // send the same ones share a step and its parameter names. What a row returns or defers
    // follows from what it sends.
    long currentMask = 0;
    java.util.BitSet currentWide = null;
    ParameterRow.Names names = null;
    for (InstanceState s : added) {
      @Nullable Object[] values = new Object[n];
      long mask = 0;
      java.util.BitSet wide = n > 64 ? new java.util.BitSet(n) : null;
      for (int i = 0; i < n; i++) {
        Attribute<Object, ?> a = attrs.get(i);
        Object v = a.read(s.object);
        if (a == version && v == null) {
          v = 1;
        }
        if (sends(a.column(), v)) {
          values[i] = v;
          if (wide != null) {
            wide.set(i);
          } else {
            mask |= 1L << i;
          }
        }
      }
      if (current == null || mask != currentMask || !java.util.Objects.equals(wide, currentWide)) {
        List<String> sent = new ArrayList<>(n);
        int[] positions = new int[n];
        List<Attribute<Object, ?>> returned = new ArrayList<>();
        List<Attribute<Object, ?>> deferred = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          Attribute<Object, ?> a = attrs.get(i);
          if (wide != null ? wide.get(i) : (mask & (1L << i)) != 0) {
            positions[sent.size()] = i;
            sent.add(a.column().name());
          } else if (defers(mapper, a.column())) {
            deferred.add(a); // not sent, not read back: expired after the INSERT
          } else {
            returned.add(a);
          }
        }
        names = new ParameterRow.Names(sent, java.util.Arrays.copyOf(positions, sent.size()));
        Expression<?>[] cols = new Expression<?>[returned.size()];
        for (int i = 0; i < cols.length; i++) {
          cols[i] = returned.get(i).column();
        }
        Executable stmt =
            cols.length == 0
                ? Sql.insert(mapper.table())
                : Sql.insert(mapper.table()).returning(cols);
        current = new Step(Kind.INSERT, mapper, stmt, List.copyOf(returned));
        current.deferred = deferred.isEmpty() ? List.of() : List.copyOf(deferred);
        currentMask = mask;
        currentWide = wide;
        out.add(current);
      }
      current.params.add(names.row(values));
      current.states.add(s);
    }
  }

  /**
   * Whether an INSERT sends {@code v} for {@code col}: not a missing value the server makes (an
   * autoincrement key or a server default, read back or expired).
   */
  private static boolean sends(Column<?> col, @Nullable Object v) {
    return v != null || !(col.isAutoincrement() || col.hasServerDefault());
  }

  /**
   * Whether a column the INSERT leaves to the server is left unread, its attribute expired (a
   * server default, not a key, of a class without eager defaults), rather than read back.
   */
  private static boolean defers(Mapper<Object> mapper, Column<?> col) {
    return col.hasServerDefault() && !col.isPrimaryKey() && !mapper.eagerDefaults();
  }

  private static void updates(Mapper<Object> mapper, List<InstanceState> states, List<Step> out) {
    // Objects with the same changed columns share a step, found by a mask of the changed
    // attributes (a set of names for a class of more than 64 attributes).
    Map<Object, Step> byColumns = new LinkedHashMap<>();
    Attribute<Object, ?> version = mapper.version() == null ? null : cast(mapper.version());
    List<Attribute<Object, ?>> attrs = cast(mapper.attributes());
    List<Attribute<Object, ?>> keys = cast(mapper.primaryKey());
    int[] keyAt = new int[keys.size()];
    String[] keyNames = new String[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      keyAt[i] = attrs.indexOf(keys.get(i));
      keyNames[i] = "_pk_" + i;
    }
    int versionAt = version == null ? -1 : attrs.indexOf(version);
    boolean masked = attrs.size() <= 64;
    for (InstanceState s : states) {
      Object[] committed = s.committed;
      if (committed == null || s.status != InstanceState.Status.PERSISTENT) {
        continue;
      }
      Map<String, @Nullable Object> p = null;
      long mask = 0;
      // An expired object writes what changed since it was expired; what changed before is
      // discarded with the expiry.
      for (int i = 0; i < attrs.size(); i++) {
        Object now = attrs.get(i).read(s.object);
        if (!InstanceState.same(s.baseline(i), now)) {
          if (p == null) {
            p = LinkedHashMap.newLinkedHashMap(attrs.size() + keys.size() + 1);
          }
          p.put(attrs.get(i).column().name(), now);
          mask |= masked ? 1L << i : 0;
        }
      }
      if (p == null) {
        continue;
      }
      for (int i = 0; i < keyAt.length; i++) {
        p.put(keyNames[i], committed[keyAt[i]]);
      }
      if (version != null) {
        Object old = committed[versionAt];
        p.put("_version", old);
        p.put(version.column().name(), next(old));
      }
      Object columns = masked ? (Object) mask : new LinkedHashSet<>(p.keySet());
      // Objects of another identity token are written to their own database: a step of their own.
      Object shape = s.token == null ? columns : List.of(columns, s.token);
      Step step =
          byColumns.computeIfAbsent(
              shape,
              k ->
                  new Step(
                      Kind.UPDATE,
                      mapper,
                      keyed(Sql.update(mapper.table()), keys, version),
                      List.of()));
      step.params.add(p);
      step.states.add(s);
      step.expectedRows++;
    }
    out.addAll(byColumns.values());
  }

  static dev.athanor.sql.Update keyed(
      dev.athanor.sql.Update u,
      List<Attribute<Object, ?>> keys,
      @Nullable Attribute<Object, ?> version) {
    for (int i = 0; i < keys.size(); i++) {
      u = u.where(eqParam(keys.get(i).column(), "_pk_" + i));
    }
    u = version == null ? u : u.where(eqParam(version.column(), "_version"));
    // One UPDATE ... FROM (VALUES ...) per page on PostgreSQL rather than one execution per row.
    return u.executionOptions(MANY_VALUES);
  }

  @SuppressWarnings("unchecked")
  private static <T> Expression<Boolean> eqParam(Column<T> col, String name) {
    return col.eq(bindparam(name, col.type()));
  }

  static Object next(@Nullable Object version) {
    if (version instanceof Long l) {
      return l + 1;
    }
    return version == null ? 1 : ((Number) version).intValue() + 1;
  }

  /** Keys per {@code DELETE ... WHERE key IN (...)} of a flush. */
  static final int DELETE_PAGE = 1000;

  /**
   * The DELETEs of rows of one table that no other row of this flush still needs: {@code IN} lists
   * of at most {@link #DELETE_PAGE} keys, or one DELETE per row by its full key and version.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void deleteLevel(
      Mapper<Object> mapper, List<InstanceState> states, List<Step> out) {
    Attribute<Object, ?> version = mapper.version() == null ? null : cast(mapper.version());
    List<Attribute<Object, ?>> keys = mapper.primaryKey().stream().map(FlushPlan::cast).toList();
    if (keys.size() == 1 && version == null) {
      // One DELETE ... IN per page of keys: a statement carries a bound parameter per key, and
      // PostgreSQL takes at most 65,535 in one statement.
      Column col = keys.get(0).column();
      for (int from = 0; from < states.size(); from += DELETE_PAGE) {
        List<InstanceState> page =
            states.subList(from, Math.min(states.size(), from + DELETE_PAGE));
        List<Object> ids = new ArrayList<>(page.size());
        for (InstanceState s : page) {
          ids.add(committed(s, keys.get(0)));
        }
        Step step =
            new Step(Kind.DELETE, mapper, Sql.delete(mapper.table()).where(col.in(ids)), List.of());
        step.params.add(Map.of());
        step.states.addAll(page);
        step.expectedRows = page.size();
        out.add(step);
      }
      return;
    }
    dev.athanor.sql.Delete d = Sql.delete(mapper.table());
    for (int i = 0; i < keys.size(); i++) {
      d = d.where(eqParam(keys.get(i).column(), "_pk_" + i));
    }
    if (version != null) {
      d = d.where(eqParam(version.column(), "_version"));
    }
    Step step = new Step(Kind.DELETE, mapper, d, List.of());
    for (InstanceState s : states) {
      Map<String, @Nullable Object> p = new LinkedHashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        p.put("_pk_" + i, committed(s, keys.get(i)));
      }
      if (version != null) {
        p.put("_version", committed(s, version));
      }
      step.params.add(p);
      step.states.add(s);
    }
    step.expectedRows = states.size();
    out.add(step);
  }

  /**
   * Applies what the database answered to the objects, once every step succeeded: generated keys
   * and server defaults into inserted objects, new version counters, committed values, identity
   * keys.
   */
  void apply(Map<IdentityKey, InstanceState> identityMap) {
    for (Step step : steps) {
      switch (step.kind) {
        case INSERT -> {
          List<Row> rows =
              step.result == null ? List.of() : rowsOf(step.result, step.states.size());
          Attribute<Object, ?> version =
              step.mapper.version() == null ? null : cast(step.mapper.version());
          for (int i = 0; i < step.states.size(); i++) {
            InstanceState s = step.states.get(i);
            if (!step.returned.isEmpty()) {
              Row r = rows.get(i);
              for (int j = 0; j < step.returned.size(); j++) {
                step.returned.get(j).write(s.object, r.get(j));
              }
            }
            if (version != null && version.read(s.object) == null) {
              version.write(s.object, step.params.get(i).get(version.column().name()));
            }
            s.status = InstanceState.Status.PERSISTENT;
            s.key = s.keyFromFields();
            s.unexpire();
            s.snapshot();
            if (!step.deferred.isEmpty()) {
              s.expire(step.deferred.stream().map(Attribute::name).toList());
            }
            identityMap.put(s.key, s);
          }
        }
        case UPDATE -> {
          Attribute<Object, ?> version =
              step.mapper.version() == null ? null : cast(step.mapper.version());
          for (int i = 0; i < step.states.size(); i++) {
            InstanceState s = step.states.get(i);
            if (version != null) {
              version.write(s.object, step.params.get(i).get(version.column().name()));
            }
            if (!step.replaced.isEmpty()) {
              // A row switch: the new object is the row's object now; the old one is deleted.
              step.replaced.get(i).status = InstanceState.Status.DELETED;
              s.status = InstanceState.Status.PERSISTENT;
              s.key = s.keyFromFields();
              identityMap.put(s.key, s);
            }
            s.snapshot();
            if (s.expired) {
              s.atExpiry = s.values(); // written: no longer a change since the expiry
            }
            IdentityKey now = s.keyFromFields();
            if (s.key != null && !s.key.equals(now)) {
              identityMap.remove(s.key);
              s.key = now;
              identityMap.put(now, s);
            }
          }
        }
        case DELETE -> {
          for (InstanceState s : step.states) {
            if (s.key != null) {
              identityMap.remove(s.key);
            }
            s.status = InstanceState.Status.DELETED;
          }
        }
      }
    }
  }

  private static List<Row> rowsOf(Result r, int expected) {
    List<Row> rows = new ArrayList<>(expected);
    for (Row row : r) {
      rows.add(row);
    }
    return rows;
  }
}
