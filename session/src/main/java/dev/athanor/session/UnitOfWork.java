package dev.athanor.session;

import dev.athanor.error.InvalidRequestException;
import dev.athanor.result.Row;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a session knows of its objects, in plain Java with no IO (DESIGN.md, decision 2): the
 * identity map, each object's state, what is pending, marked for deletion, inserted or deleted in
 * the current transaction, and how objects that left the session left it. {@link Session} runs the
 * statements and asks this class what to send and how the answers change the objects.
 */
final class UnitOfWork {
  final Map<IdentityKey, InstanceState> identityMap = new HashMap<>();
  final Map<Object, InstanceState> states = new IdentityHashMap<>();
  final Set<InstanceState> pending = new LinkedHashSet<>();
  final Set<InstanceState> toDelete = new LinkedHashSet<>();

  /** Objects inserted or deleted by flushes of the current transaction (undone by rollback). */
  final Set<InstanceState> insertedInTransaction = new LinkedHashSet<>();

  final Set<InstanceState> deletedInTransaction = new LinkedHashSet<>();

  /** Objects that left the session, so that {@link #inspect} still tells how they left. */
  final Map<Object, InstanceState> left = new IdentityHashMap<>();

  /** Adds an object: pending if new, persistent again if it left the session detached. */
  void add(Object entity) {
    InstanceState s = states.get(entity);
    if (s != null) {
      toDelete.remove(s); // deleted, then added again: kept
      return;
    }
    Mapper<?> mapper = Registry.mapperOf(entity.getClass());
    InstanceState was = left.remove(entity);
    if (was != null && was.status == InstanceState.Status.DETACHED && was.key != null) {
      // A detached object comes back as persistent, with the values it had when it left.
      if (identityMap.containsKey(was.key)) {
        left.put(entity, was);
        throw new InvalidRequestException(
            "Another object with identity "
                + was.key
                + " is already in this session; merge() the detached one into it instead.");
      }
      was.status = InstanceState.Status.PERSISTENT;
      states.put(entity, was);
      identityMap.put(was.key, was);
      return;
    }
    s = new InstanceState(entity, mapper, InstanceState.Status.PENDING);
    states.put(entity, s);
    pending.add(s);
  }

  /** Marks an object for deletion; a pending one just leaves the session. */
  void delete(Object entity) {
    InstanceState s = states.get(entity);
    if (s == null) {
      throw new InvalidRequestException(
          entity
              + " is not in this session; get() or query it here, or add() it, before delete().");
    }
    if (s.status == InstanceState.Status.PENDING) {
      detach(s, InstanceState.Status.TRANSIENT);
    } else {
      toDelete.add(s);
    }
  }

  /** Removes an object from the session. */
  void expunge(Object entity) {
    InstanceState s = states.get(entity);
    if (s == null) {
      throw new InvalidRequestException(entity + " is not in this session; nothing to expunge.");
    }
    leave(s);
  }

  /** Removes every object from the session. */
  void expungeAll() {
    for (InstanceState s : new ArrayList<>(states.values())) {
      leave(s);
    }
  }

  private void leave(InstanceState s) {
    detach(s, s.key == null ? InstanceState.Status.TRANSIENT : InstanceState.Status.DETACHED);
  }

  /** Marks every persistent object expired. */
  void expireAll() {
    for (InstanceState s : states.values()) {
      if (s.status == InstanceState.Status.PERSISTENT) {
        s.expire();
      }
    }
  }

  /** Returns the state of an object in or out of the session (transient if never seen). */
  InstanceState inspect(Object entity) {
    InstanceState s = states.get(entity);
    if (s == null) {
      s = left.get(entity);
    }
    return s != null
        ? s
        : new InstanceState(
            entity, Registry.mapperOf(entity.getClass()), InstanceState.Status.TRANSIENT);
  }

  /** Returns the objects of a group of states, compared by identity. */
  static Set<Object> objects(Iterable<InstanceState> states) {
    Set<Object> out = Collections.newSetFromMap(new IdentityHashMap<>());
    states.forEach(s -> out.add(s.object));
    return out;
  }

  /** Returns the persistent states with changes a flush would write. */
  List<InstanceState> dirty() {
    List<InstanceState> out = new ArrayList<>();
    for (InstanceState s : states.values()) {
      if (s.status == InstanceState.Status.PERSISTENT && !toDelete.contains(s) && s.isModified()) {
        out.add(s);
      }
    }
    return out;
  }

  /** Plans a flush of everything pending, changed and marked for deletion. */
  FlushPlan plan() {
    List<InstanceState> persistent = new ArrayList<>();
    for (InstanceState s : states.values()) {
      if (s.status == InstanceState.Status.PERSISTENT && !toDelete.contains(s)) {
        persistent.add(s);
      }
    }
    return FlushPlan.of(List.copyOf(pending), persistent, List.copyOf(toDelete));
  }

  void detach(InstanceState s, InstanceState.Status status) {
    states.remove(s.object);
    left.put(s.object, s);
    pending.remove(s);
    toDelete.remove(s);
    if (s.key != null && identityMap.get(s.key) == s) {
      identityMap.remove(s.key);
    }
    s.status = status;
  }

  InstanceState stateOf(Object entity, String op) {
    InstanceState s = states.get(entity);
    if (s == null) {
      throw new InvalidRequestException(
          entity + " is not in this session; " + op + "() works on the session's own objects.");
    }
    return s;
  }

  void applied(FlushPlan plan) {
    plan.apply(identityMap);
    for (FlushPlan.Step step : plan.steps()) {
      switch (step.kind) {
        case INSERT -> {
          pending.removeAll(step.states);
          insertedInTransaction.addAll(step.states);
        }
        case DELETE -> {
          toDelete.removeAll(step.states);
          deletedInTransaction.addAll(step.states);
          step.states.forEach(s -> {
            states.remove(s.object);
            left.put(s.object, s);
          });
        }
        case UPDATE -> {}
      }
    }
  }

  void committed(boolean expireOnCommit) {
    for (InstanceState s : deletedInTransaction) {
      s.status = InstanceState.Status.DETACHED;
    }
    insertedInTransaction.clear();
    deletedInTransaction.clear();
    if (expireOnCommit) {
      for (InstanceState s : states.values()) {
        if (s.status == InstanceState.Status.PERSISTENT) {
          s.expire();
        }
      }
    }
  }

  void rolledBack() {
    for (InstanceState s : insertedInTransaction) {
      detach(s, InstanceState.Status.TRANSIENT);
      s.key = null;
      s.committed = null;
    }
    for (InstanceState s : new ArrayList<>(pending)) {
      detach(s, InstanceState.Status.TRANSIENT);
    }
    for (InstanceState s : deletedInTransaction) {
      s.status = InstanceState.Status.PERSISTENT;
      left.remove(s.object);
      states.put(s.object, s);
      if (s.key != null) {
        identityMap.put(s.key, s);
      }
    }
    toDelete.clear();
    insertedInTransaction.clear();
    deletedInTransaction.clear();
    for (InstanceState s : states.values()) {
      s.expire();
    }
  }

  @SuppressWarnings("unchecked")
  static IdentityKey keyOf(Mapper<?> mapper, Object primaryKey) {
    List<? extends Attribute<?, ?>> pk = mapper.primaryKey();
    List<?> given =
        primaryKey instanceof List<?> l
            ? l
            : primaryKey instanceof Object[] a ? List.of(a) : List.of(primaryKey);
    if (given.size() != pk.size()) {
      throw new InvalidRequestException(
          mapper.type().getSimpleName()
              + " has a primary key of "
              + pk.size()
              + " column(s) "
              + pk.stream().map(Attribute::name).toList()
              + "; get() was given "
              + given.size()
              + " value(s). Pass a List for a composite key.");
    }
    List<Object> values = new ArrayList<>(given.size());
    for (int i = 0; i < given.size(); i++) {
      Object v = given.get(i);
      // The column's type decides (an Integer given for a BIGINT key finds the Long one).
      values.add(v == null ? null : pk.get(i).column().type().fromDriver(v));
    }
    return new IdentityKey(mapper, values);
  }

  <E> E pendingCopy(Mapper<E> mapper, E entity) {
    E copy = mapper.newInstance();
    copyFields(mapper, entity, copy);
    InstanceState s = new InstanceState(copy, mapper, InstanceState.Status.PENDING);
    states.put(copy, s);
    pending.add(s);
    return copy;
  }

  static void copyFields(Mapper<?> mapper, Object from, Object to) {
    for (Attribute<?, ?> a : mapper.attributes()) {
      a.write(to, a.read(from));
    }
  }

  /**
   * Called by the loader for each row of a mapped class: the identity map's object for the key
   * (reloaded in place when expired or when {@code populateExisting}), or a new one registered as
   * persistent. Pending changes of a loaded object are not overwritten otherwise.
   */
  Object loaded(
      Mapper<Object> mapper, IdentityKey key, Row row, int start, boolean populateExisting) {
    InstanceState s = identityMap.get(key);
    if (s != null && !s.expired && !populateExisting) {
      return s.object;
    }
    Object obj = s != null ? s.object : mapper.newInstance();
    List<Attribute<Object, ?>> attrs = castAttrs(mapper.attributes());
    // Changes made after the object was expired survive the reload (SQLAlchemy keeps set
    // attributes when it loads expired ones); changes made before are discarded.
    Object[] kept = null;
    if (s != null && s.expired && s.atExpiry != null) {
      Object[] before = s.atExpiry;
      Object[] now = s.values();
      for (int i = 0; i < now.length; i++) {
        if (!InstanceState.same(before[i], now[i])) {
          if (kept == null) {
            kept = new Object[now.length];
            java.util.Arrays.fill(kept, KEEP_NONE);
          }
          kept[i] = now[i];
        }
      }
    }
    for (int i = 0; i < attrs.size(); i++) {
      attrs.get(i).write(obj, row.get(start + i));
    }
    if (s == null) {
      s = new InstanceState(obj, mapper, InstanceState.Status.PERSISTENT);
      s.key = key;
      identityMap.put(key, s);
      states.put(obj, s);
    }
    s.expired = false;
    s.atExpiry = null;
    s.snapshot();
    if (kept != null) {
      for (int i = 0; i < kept.length; i++) {
        if (kept[i] != KEEP_NONE) {
          attrs.get(i).write(obj, kept[i]);
        }
      }
    }
    return obj;
  }

  private static final Object KEEP_NONE = new Object();

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<Attribute<Object, ?>> castAttrs(List<? extends Attribute<?, ?>> l) {
    return (List) l;
  }
}
