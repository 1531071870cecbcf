package dev.athanor.session;

import dev.athanor.result.Row;
import dev.athanor.result.RowKeys;
import dev.athanor.result.RowProcessor;
import dev.athanor.sql.Expression;
import dev.athanor.sql.FromClause;
import dev.athanor.sql.Select;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Turns rows into objects, a batch at a time (the Core's row-processor hook): for each mapped class
 * a statement selects, the columns of one object become that object, found in the session's
 * identity map (one object per row per session; pending changes are not overwritten) or made and
 * registered there. An expired object, or any object when {@code populateExisting} is set, is
 * reloaded in place. Other selected expressions pass through.
 */
final class EntityLoader implements RowProcessor {
  /** One selected item: a mapped class over {@code width} columns, or one plain column. */
  private record Slot(
      @Nullable Mapper<Object> mapper, int start, int width, String key, Object keyObject) {}

  /**
   * What a statement's selected items make of a row: its slots and the keys of the rows made. It
   * depends only on what is selected, so a mapper keeps the one of {@code select(mapper)}.
   */
  static final class Shape {
    private final List<Slot> slots;
    private final RowKeys keys;

    private Shape(List<Slot> slots) {
      this.slots = slots;
      List<String> names = new ArrayList<>(slots.size());
      List<Object> objects = new ArrayList<>(slots.size());
      for (Slot s : slots) {
        names.add(s.key());
        objects.add(s.keyObject());
      }
      this.keys = RowKeys.of(names, objects);
    }

    /** The shape of a statement that selects only {@code m}'s columns. */
    static Shape of(Mapper<?> m) {
      return new Shape(List.of(slotOf(m, 0)));
    }
  }

  private final Session session;
  private final List<Slot> slots;
  private final boolean populateExisting;

  /** The identity token of the objects it makes ({@link Session#IDENTITY_TOKEN}), or null. */
  private final @Nullable Object token;

  /**
   * Whether objects this loader made are let go when it is given the next batch (a stream with
   * {@link Session#RELEASE_STREAMED}): unchanged ones leave the session, so memory follows one
   * batch, not the whole stream.
   */
  private boolean release;

  /** The objects the current batch made (only when releasing). */
  private List<InstanceState> madeInBatch = List.of();

  /** What the batch before the last one made: released at the next batch. */
  private List<InstanceState> madeBefore = List.of();

  private final RowKeys keys;

  /** Objects populated by this loader, per mapper with {@link LoaderStrategy}s; null if none. */
  private java.util.@Nullable Map<Mapper<Object>, List<Object>> toComplete;

  /** The objects in {@link #toComplete}, by identity; made with it. */
  private java.util.@Nullable Map<Object, Boolean> completed;

  /** The statement's select-in loader options for classes this loader makes; empty if none. */
  private List<SelectInLoad> selectIn = List.of();

  /** The objects each of {@link #selectIn} is to load for (repeats included), in row order. */
  private java.util.@Nullable Map<SelectInLoad, List<Object>> toSelectIn;

  private EntityLoader(
      Session session, Shape shape, boolean populateExisting, @Nullable Object token) {
    this.session = session;
    this.slots = shape.slots;
    this.keys = shape.keys;
    this.populateExisting = populateExisting;
    this.token = token;
  }

  @SuppressWarnings("unchecked")
  private static Slot slotOf(Mapper<?> m, int at) {
    return new Slot(
        (Mapper<Object>) m, at, m.selectedColumns().size(), m.type().getSimpleName(), m);
  }

  /** Returns a loader for a SELECT that selects at least one mapped class, else {@code null}. */
  @SuppressWarnings("unchecked")
  static @Nullable EntityLoader of(
      Session session, Select select, boolean populateExisting, @Nullable Object token) {
    return of(session, select.selectedSources(), populateExisting, token);
  }

  /**
   * Returns a loader for a statement's result columns given as sources (what a SELECT selects, what
   * an INSERT returns) when one of them is a mapped class, else {@code null}.
   */
  static @Nullable EntityLoader of(
      Session session, List<Object> sources, boolean populateExisting, @Nullable Object token) {
    if (sources.size() == 1 && sources.get(0) instanceof Mapper<?> only) {
      return new EntityLoader(session, only.loaderShape(), populateExisting, token);
    }
    List<Slot> slots = new ArrayList<>();
    boolean any = false;
    int at = 0;
    for (Object source : sources) {
      if (source instanceof Mapper<?> m) {
        Slot slot = slotOf(m, at);
        slots.add(slot);
        at += slot.width();
        any = true;
      } else if (source instanceof FromClause f) {
        for (Expression<?> c : f.columns()) {
          slots.add(new Slot(null, at++, 1, c.keyName(), c));
        }
      } else {
        Expression<?> e = (Expression<?>) source;
        slots.add(new Slot(null, at++, 1, e.keyName(), e));
      }
    }
    return any ? new EntityLoader(session, new Shape(slots), populateExisting, token) : null;
  }

  /**
   * Returns this loader with the statement's select-in options that apply to a class it makes; an
   * option for a class the statement does not select has nothing to load and is left out.
   */
  EntityLoader selectingIn(@Nullable LoaderOptions options) {
    if (options == null) {
      return this;
    }
    List<SelectInLoad> mine = new ArrayList<>();
    for (SelectInLoad o : options.selectIn()) {
      for (Slot s : slots) {
        if (s.mapper() == o.relationship().owner() && !mine.contains(o)) {
          mine.add(o);
        }
      }
    }
    selectIn = List.copyOf(mine);
    return this;
  }

  /** Returns the keys of the rows it makes: a mapped class by its simple name and its mapper. */
  @Override
  public RowKeys keys(RowKeys source) {
    return keys;
  }

  /** Returns this loader set to let go of the objects of each batch at the next one. */
  EntityLoader releasing() {
    release = true;
    madeInBatch = new ArrayList<>();
    madeBefore = new ArrayList<>();
    return this;
  }

  @Override
  public List<Row> process(List<Row> batch) {
    return session.work().loading(() -> processNow(batch));
  }

  private List<Row> processNow(List<Row> batch) {
    if (release) {
      // The batch before the previous one was handed out and read (a stream may fetch one batch
      // ahead of its reader): let go of what it made and nobody changed.
      List<InstanceState> done = madeBefore;
      for (InstanceState st : done) {
        session.work().release(st);
      }
      // The two lists trade places: a stream of a million rows keeps reusing the same two.
      done.clear();
      madeBefore = madeInBatch;
      madeInBatch = done;
    }
    session.work().expect(batch.size());
    List<Row> out = new ArrayList<>(batch.size());
    for (Row r : batch) {
      Object[] values = new Object[slots.size()];
      for (int i = 0; i < values.length; i++) {
        Slot s = slots.get(i);
        values[i] = s.mapper() == null ? r.get(s.start()) : load(s.mapper(), r, s.start());
      }
      out.add(new Row(keys, values));
    }
    return out;
  }

  private @Nullable Object load(Mapper<Object> mapper, Row r, int start) {
    int[] pkAt = mapper.primaryKeyPositions();
    List<Object> key;
    if (pkAt.length == 1) {
      Object v = r.get(start + pkAt[0]);
      if (v == null) {
        return null; // an outer join's missing side
      }
      key = java.util.Collections.singletonList(v);
    } else {
      key = new ArrayList<>(pkAt.length);
      boolean allNull = true;
      for (int at : pkAt) {
        Object v = r.get(start + at);
        allNull &= v == null;
        key.add(v);
      }
      if (allNull) {
        return null; // an outer join's missing side
      }
    }
    IdentityKey id = new IdentityKey(mapper, key, token);
    UnitOfWork work = session.work();
    InstanceState existing = work.identityMap.get(id);
    boolean fresh = release && existing == null;
    // Loading the row fills the object in when it is new, expired or repopulated.
    boolean completes =
        !mapper.loaders().isEmpty() && (existing == null || existing.expired || populateExisting);
    InstanceState state = work.loaded(mapper, id, existing, r, start, populateExisting);
    Object obj = state.object;
    if (completes) {
      java.util.Map<Mapper<Object>, List<Object>> pending = toComplete;
      java.util.Map<Object, Boolean> seen = completed;
      if (pending == null || seen == null) {
        toComplete = pending = new java.util.LinkedHashMap<>();
        completed = seen = new java.util.IdentityHashMap<>();
      }
      // A row repeated in one result (a join) populates its object once: listed once.
      if (seen.put(obj, Boolean.TRUE) == null) {
        pending.computeIfAbsent(mapper, m -> new ArrayList<>()).add(obj);
      }
    }
    if (fresh) {
      madeInBatch.add(state);
    }
    if (!selectIn.isEmpty()) {
      for (SelectInLoad o : selectIn) {
        if (o.relationship().owner() == mapper) {
          java.util.Map<SelectInLoad, List<Object>> m = toSelectIn;
          if (m == null) {
            toSelectIn = m = new java.util.LinkedHashMap<>();
          }
          m.computeIfAbsent(o, k -> new ArrayList<>()).add(obj);
        }
      }
    }
    return obj;
  }

  /** Whether some class this loader makes has loaders beyond its columns. */
  boolean hasStrategies() {
    if (!selectIn.isEmpty()) {
      return true;
    }
    for (Slot s : slots) {
      if (s.mapper() != null && !s.mapper().loaders().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs the {@link LoaderStrategy}s of the classes loaded since the last call, for the objects
   * they populated, in order; empty when there are none.
   */
  reactor.core.publisher.Mono<Void> completeLoads() {
    java.util.Map<Mapper<Object>, List<Object>> work = toComplete;
    java.util.Map<SelectInLoad, List<Object>> eager = toSelectIn;
    toSelectIn = null;
    reactor.core.publisher.Mono<Void> selected =
        eager == null
            ? reactor.core.publisher.Mono.empty()
            : reactor.core.publisher.Flux.fromIterable(eager.entrySet())
                .concatMap(e ->
                    SelectInLoader.load(session, e.getKey(), e.getValue(), token, populateExisting))
                .then();
    if (work == null) {
      return selected;
    }
    toComplete = null;
    completed = null;
    return reactor.core.publisher.Flux.fromIterable(work.entrySet())
        .concatMap(e ->
            reactor.core.publisher.Flux.fromIterable(e.getKey().loaders())
                .concatMap(l -> l.afterLoad(session, e.getValue())))
        .then(selected);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<Attribute<Object, ?>> cast(List<? extends Attribute<?, ?>> list) {
    return (List) list;
  }
}
