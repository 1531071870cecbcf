package dev.athanor.session;

import dev.athanor.error.InvalidRequestException;
import dev.athanor.result.Row;
import dev.athanor.result.internal.RowArrays;
import dev.athanor.sql.SqlType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a session knows of its objects, in plain Java with no IO (DESIGN.md, decision 2): the
 * identity map, each object's state, what is pending, marked for deletion, inserted or deleted in
 * the current transaction, and how objects that left the session left it. {@link Session} runs the
 * statements and asks this class what to send and how the answers change the objects.
 */
final class UnitOfWork {
  /**
   * The expected size the identity maps start with: most sessions (a request's) hold a few objects,
   * and an {@code IdentityHashMap} made for the default 32 costs 270 bytes up front.
   */
  static final int SMALL = 4;

  Map<IdentityKey, InstanceState> identityMap = new HashMap<>();
  Map<Object, InstanceState> states = new IdentityHashMap<>(SMALL);
  final Set<InstanceState> pending = new LinkedHashSet<>();
  final Set<InstanceState> toDelete = new LinkedHashSet<>();

  /**
   * What the flushes of the transaction and of each savepoint in it inserted, updated and deleted,
   * innermost last: a rollback undoes its own frame's.
   */
  private final ArrayList<Frame> frames = new ArrayList<>(List.of(new Frame()));

  /**
   * What the flushes of one transaction level wrote. An object is inserted or deleted once in a
   * level's life (a rollback that undoes it drops the level), so those are lists; one can be
   * updated by every flush (each autoflush of a loop), so the updated ones are a set.
   */
  private static final class Frame {
    final List<InstanceState> inserted = new ArrayList<>();
    final Set<InstanceState> updated = new LinkedHashSet<>();
    final List<InstanceState> deleted = new ArrayList<>();

    void absorb(Frame inner) {
      inserted.addAll(inner.inserted);
      updated.addAll(inner.updated);
      deleted.addAll(inner.deleted);
    }
  }

  private Frame top() {
    return frames.get(frames.size() - 1);
  }

  /** Returns how many savepoints are open. */
  int savepoints() {
    return frames.size() - 1;
  }

  /** A savepoint began: what flushes write from now on is undone by its rollback alone. */
  void savepointBegun() {
    frames.add(new Frame());
  }

  /** The innermost savepoint was released: its writes belong to the level around it. */
  void savepointReleased() {
    Frame inner = frames.remove(frames.size() - 1);
    top().absorb(inner);
  }

  /**
   * The innermost savepoint was rolled back: objects it inserted are transient again (keys
   * cleared), objects added or marked for deletion since it began are dropped or kept, objects it
   * deleted are persistent again, and objects it changed (or that have unflushed changes) are
   * expired, so that the next reach reloads what the database holds.
   */
  void savepointRolledBack() {
    Frame inner = frames.remove(frames.size() - 1);
    undo(inner);
    for (InstanceState s : inner.updated) {
      if (s.status == InstanceState.Status.PERSISTENT) {
        s.expire();
      }
    }
    for (InstanceState s : dirty()) {
      s.expire();
    }
  }

  private void undo(Frame f) {
    for (InstanceState s : f.inserted) {
      detach(s, InstanceState.Status.TRANSIENT);
      s.key = null;
      s.committed = null;
    }
    for (InstanceState s : new ArrayList<>(pending)) {
      detach(s, InstanceState.Status.TRANSIENT);
    }
    for (InstanceState s : f.deleted) {
      s.status = InstanceState.Status.PERSISTENT;
      left.remove(s.object);
      states.put(s.object, s);
      if (s.key != null) {
        identityMap.put(s.key, s);
      }
    }
    toDelete.clear();
  }

  /** How many objects the object map was last sized for by {@link #expect}. */
  private int sizedFor = SMALL;

  /**
   * Sizes the maps for {@code objects} rows about to be loaded. A session that holds no object gets
   * maps of that size: a request's session that queries 100 rows would otherwise grow both by
   * doubling, four and six times. In one that holds some, the object map is copied once into one
   * for all of them (at least twice its last size, so that a long run of loads copies each entry a
   * bounded number of times), instead of rehashing its growing table at each doubling. The identity
   * map is left to grow: a {@code HashMap}'s doubling reuses the hashes it keeps, where a copy
   * computes every key's hash again (measured: the copy cost as much as the doublings it saved).
   */
  void expect(int objects) {
    if (objects <= SMALL) {
      return;
    }
    if (states.isEmpty() && identityMap.isEmpty()) {
      identityMap = HashMap.newHashMap(objects);
      states = new IdentityHashMap<>(objects);
      sizedFor = objects;
      return;
    }
    int total = states.size() + objects;
    if (total > sizedFor) {
      int size = Math.max(total, sizedFor * 2);
      Map<Object, InstanceState> objs = new IdentityHashMap<>(size);
      objs.putAll(states);
      states = objs;
      sizedFor = size;
    }
  }

  /**
   * Sizes the object map for {@code objects} about to be added when the session holds no object
   * ({@code addAll} of a batch of new objects), as {@link #expect} does for loads.
   */
  void expectAdded(int objects) {
    if (objects > SMALL && states.isEmpty()) {
      states = new IdentityHashMap<>(objects);
      sizedFor = objects;
    }
  }

  /** Whether the session holds no object at all: a flush would have nothing to look at. */
  boolean isEmpty() {
    return states.isEmpty() && pending.isEmpty() && toDelete.isEmpty();
  }

  /** Called with each object populated from a row (the session's {@code loaded} event). */
  java.util.function.Consumer<Object> onLoaded = obj -> {};

  /** Objects that left the session, so that {@link #inspect} still tells how they left. */
  Map<Object, InstanceState> left = new IdentityHashMap<>(SMALL);

  /**
   * Adds an object: pending if new, persistent again if it left the session detached. Returns
   * whether it was not in the session before.
   */
  boolean add(Object entity) {
    InstanceState s = states.get(entity);
    if (s != null) {
      if (!toDelete.isEmpty()) {
        toDelete.remove(s); // deleted, then added again: kept
      }
      return false;
    }
    Mapper<?> mapper = Registry.mapperOf(entity.getClass());
    InstanceState was = left.isEmpty() ? null : left.remove(entity);
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
      return true;
    }
    s = new InstanceState(entity, mapper, InstanceState.Status.PENDING);
    states.put(entity, s);
    pending.add(s);
    return true;
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

  /**
   * Applies {@code action} to an object, then to each object its cascade for {@code op} reaches
   * that is in the session.
   */
  void cascading(Cascade.Operation op, Object entity, java.util.function.Consumer<Object> action) {
    action.accept(entity);
    for (Object reached : Cascade.reached(op, entity)) {
      if (states.containsKey(reached)) {
        action.accept(reached);
      }
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

  /**
   * Lets an object a stream made leave the session when it is unchanged and not marked for deletion
   * (it becomes detached, and the session keeps no reference to it); a changed one stays.
   */
  void release(InstanceState s) {
    if (s.status != InstanceState.Status.PERSISTENT || isDeleted(s) || s.isModified()) {
      return;
    }
    states.remove(s.object);
    IdentityKey key = s.key;
    if (key != null) {
      identityMap.remove(key, s);
    }
    s.status = InstanceState.Status.DETACHED;
  }

  /**
   * Loads rows into the identity map, one batch at a time. A query's load holds the session's guard
   * to its end (a cancelled caller's next call waits for it), but a stream's batch is loaded on the
   * thread that delivers it, which a reader that cancelled the stream does not wait for: that batch
   * and the reader's next call ({@code close()}, a commit's expiry) take turns here instead of
   * changing the maps at once.
   */
  <T> T loading(java.util.function.Supplier<T> load) {
    synchronized (loadLock) {
      return load.get();
    }
  }

  private final Object loadLock = new Object();

  /** Runs {@code change} to the maps taking its turn with a load still under way. */
  void loading(Runnable change) {
    synchronized (loadLock) {
      change.run();
    }
  }

  /** Removes every object from the session (taking its turn with a load still under way). */
  void expungeAll() {
    synchronized (loadLock) {
      expungeAllNow();
    }
  }

  private void expungeAllNow() {
    for (InstanceState s : states.values()) {
      s.status = s.key == null ? InstanceState.Status.TRANSIENT : InstanceState.Status.DETACHED;
    }
    // Every object leaves at once (closing a session of 10,000 objects is the common case): the
    // map of objects becomes the map of those that left, rather than moving them one by one.
    if (left.isEmpty()) {
      Map<Object, InstanceState> emptied = left;
      left = states;
      states = emptied;
      // The map taken over is the old map of objects that left, not one that expect sized.
      sizedFor = SMALL;
    } else {
      left.putAll(states);
      states.clear();
    }
    identityMap.clear();
    pending.clear();
    toDelete.clear();
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

  /**
   * Whether the object is marked for deletion. Most sessions mark none, and asking an empty set
   * still hashes the state (an identity hash, made and stored in the object's header on first use),
   * which a stream of 1,000,000 objects or a flush of many loaded ones would pay for each.
   */
  private boolean isDeleted(InstanceState s) {
    return !toDelete.isEmpty() && toDelete.contains(s);
  }

  /** Returns the persistent states with changes a flush would write. */
  List<InstanceState> dirty() {
    List<InstanceState> out = new ArrayList<>();
    for (InstanceState s : states.values()) {
      if (s.status == InstanceState.Status.PERSISTENT && !isDeleted(s) && s.isModified()) {
        out.add(s);
      }
    }
    return out;
  }

  /** Plans a flush of everything pending, changed and marked for deletion. */
  FlushPlan plan() {
    List<InstanceState> persistent = new ArrayList<>();
    for (InstanceState s : states.values()) {
      if (s.status == InstanceState.Status.PERSISTENT && !isDeleted(s)) {
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
    if (identityMap.isEmpty()) {
      // A first flush of many new objects: the map takes them all at once, not by doubling.
      int inserted = 0;
      for (FlushPlan.Step step : plan.steps()) {
        if (step.kind == FlushPlan.Kind.INSERT) {
          inserted += step.states.size();
        }
      }
      if (inserted > SMALL) {
        identityMap = HashMap.newHashMap(inserted);
      }
    }
    plan.apply(identityMap);
    for (FlushPlan.Step step : plan.steps()) {
      switch (step.kind) {
        case INSERT -> {
          // One by one: Set.removeAll(list) scans the list for every member when the set is not
          // larger, which made a 10,000-row flush quadratic.
          step.states.forEach(pending::remove);
          top().inserted.addAll(step.states);
        }
        case DELETE -> {
          step.states.forEach(toDelete::remove);
          top().deleted.addAll(step.states);
          step.states.forEach(s -> {
            states.remove(s.object);
            left.put(s.object, s);
          });
        }
        case UPDATE -> {
          if (step.replaced.isEmpty()) {
            top().updated.addAll(step.states);
            continue;
          }
          // A row switch: for a rollback, the new objects were inserted, the old ones deleted.
          step.states.forEach(pending::remove);
          top().inserted.addAll(step.states);
          step.replaced.forEach(toDelete::remove);
          top().deleted.addAll(step.replaced);
          step.replaced.forEach(s -> {
            states.remove(s.object);
            left.put(s.object, s);
          });
        }
      }
    }
  }

  /** The transaction committed: deleted objects are detached; maybe expire every object. */
  void committed(boolean expireOnCommit) {
    Frame all = collapse();
    for (InstanceState s : all.deleted) {
      s.status = InstanceState.Status.DETACHED;
    }
    if (expireOnCommit) {
      for (InstanceState s : states.values()) {
        if (s.status == InstanceState.Status.PERSISTENT) {
          s.expire();
        }
      }
    }
  }

  /**
   * The transaction rolled back: objects it inserted are transient again, pending ones leave,
   * deleted ones come back, and every object is expired.
   */
  void rolledBack() {
    undo(collapse());
    for (InstanceState s : states.values()) {
      s.expire();
    }
  }

  /** Ends every level: returns what all of them wrote, and leaves one empty frame. */
  private Frame collapse() {
    Frame all;
    if (frames.size() == 1) {
      all = frames.get(0); // no savepoint: nothing to merge
    } else {
      all = new Frame();
      for (Frame f : frames) {
        all.absorb(f);
      }
    }
    frames.clear();
    frames.add(new Frame());
    return all;
  }

  @SuppressWarnings("unchecked")
  static IdentityKey keyOf(Mapper<?> mapper, Object primaryKey, @Nullable Object token) {
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
      Object converted = v == null ? null : convertKey(pk.get(i).column().type(), v);
      Class<?> expected = pk.get(i).column().type().javaType();
      if (converted != null && expected != Object.class && !expected.isInstance(converted)) {
        throw new InvalidRequestException(
            mapper.type().getSimpleName()
                + "'s primary key "
                + pk.get(i).name()
                + " is a "
                + expected.getSimpleName()
                + "; get() was given "
                + v
                + " (a "
                + v.getClass().getSimpleName()
                + "). Pass a "
                + expected.getSimpleName()
                + (pk.size() > 1 ? " in that position of the List." : "."));
      }
      values.add(converted);
    }
    return new IdentityKey(mapper, values, token);
  }

  /** A key value in the column's Java type; a value the type cannot take stays as it was. */
  private static @Nullable Object convertKey(SqlType<?> type, Object v) {
    try {
      return type.fromDriver(v);
    } catch (RuntimeException e) {
      return v; // reported by the caller as the wrong type
    }
  }

  /** Returns the persistent objects of one mapper, for a bulk statement to synchronize. */
  List<InstanceState> persistentOf(Mapper<?> mapper) {
    List<InstanceState> out = new ArrayList<>();
    for (InstanceState s : identityMap.values()) {
      if (s.mapper == mapper && s.status == InstanceState.Status.PERSISTENT) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * A bulk UPDATE changed this object's row: it gets the new values, which are its committed ones
   * from now on (so they are not changes to flush).
   */
  void bulkUpdated(InstanceState s, Map<Attribute<Object, ?>, Object> newValues) {
    List<Attribute<Object, ?>> attrs = s.attributes();
    Object[] committed = s.committed == null ? s.values() : s.committed.clone();
    for (Map.Entry<Attribute<Object, ?>, Object> e : newValues.entrySet()) {
      e.getKey().write(s.object, e.getValue());
      committed[attrs.indexOf(e.getKey())] = InstanceState.copy(e.getValue());
    }
    s.committed = committed;
    top().updated.add(s);
  }

  /** A bulk DELETE removed this object's row: it leaves the session as deleted. */
  void bulkDeleted(InstanceState s) {
    if (s.key != null) {
      identityMap.remove(s.key);
    }
    states.remove(s.object);
    toDelete.remove(s);
    left.put(s.object, s);
    s.status = InstanceState.Status.DELETED;
    top().deleted.add(s);
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
   * Called by the loader for each row of a mapped class, with what the identity map holds for the
   * key ({@code existing}, which the loader looked up): the state of that object (reloaded in place
   * when expired or when {@code populateExisting}), or of a new one registered as persistent.
   * Pending changes of a loaded object are not overwritten otherwise.
   */
  InstanceState loaded(
      Mapper<Object> mapper,
      IdentityKey key,
      @Nullable InstanceState existing,
      Row row,
      int start,
      boolean populateExisting) {
    InstanceState s = existing;
    if (s != null && !s.expired && !populateExisting) {
      return s;
    }
    Object obj = s != null ? s.object : mapper.newInstance();
    List<Attribute<Object, ?>> attrs = castAttrs(mapper.attributes());
    if (s == null || !s.expired || populateExisting) {
      for (int i = 0; i < attrs.size(); i++) {
        attrs.get(i).write(obj, row.get(start + i));
      }
      if (s == null) {
        s = new InstanceState(obj, mapper, InstanceState.Status.PERSISTENT);
        s.key = key;
        s.token = key.token();
        identityMap.put(key, s);
        states.put(obj, s);
      }
      s.unexpire();
      Object[] loaded = start == 0 ? asCommitted(attrs, row) : null;
      if (loaded != null) {
        s.committed = loaded;
      } else {
        s.snapshot();
      }
      if (!mapper.relationships().isEmpty()) {
        mapper.markRelationshipsUnloaded(obj);
      }
      onLoaded.accept(obj);
      return s;
    }
    // An expired object: its expired attributes are rewritten, except that a change made after
    // the expiry survives the reload (SQLAlchemy keeps attributes set after expiring when it
    // loads the others); a change made before it is discarded. Attributes not expired keep
    // their values and their committed values.
    if (s.expiredOnly == null && !mapper.relationships().isEmpty()) {
      // The whole object was expired: its collections are loaded again too, when asked.
      mapper.markRelationshipsUnloaded(obj);
    }
    Object[] committed = s.committed == null ? s.values() : s.committed.clone();
    Object[] now = s.values();
    for (int i = 0; i < attrs.size(); i++) {
      if (!s.isExpired(i)) {
        continue;
      }
      Object loadedValue = row.get(start + i);
      committed[i] = InstanceState.copy(loadedValue);
      if (InstanceState.same(s.baseline(i), now[i])) {
        attrs.get(i).write(obj, loadedValue);
      }
    }
    s.unexpire();
    s.committed = committed;
    onLoaded.accept(obj);
    return s;
  }

  /**
   * The row's own values as the committed values of the object just written from them, when the row
   * holds exactly the object's columns and each field holds its value as written; else null (the
   * committed values are then read back from the fields). Saves an array and a read per attribute
   * for each loaded object; nothing changes the array, neither the row nor the session.
   */
  private static Object @Nullable [] asCommitted(List<Attribute<Object, ?>> attrs, Row row) {
    if (row.size() != attrs.size()) {
      return null;
    }
    Object[] values = RowArrays.of(row);
    for (int i = 0; i < values.length; i++) {
      if (!attrs.get(i).keepsAsWritten(values[i])) {
        return null;
      }
    }
    return values;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<Attribute<Object, ?>> castAttrs(List<? extends Attribute<?, ?>> l) {
    return (List) l;
  }
}
