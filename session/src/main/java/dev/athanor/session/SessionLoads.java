package dev.athanor.session;

import dev.athanor.error.InvalidRequestException;
import dev.athanor.error.NoResultFoundException;
import dev.athanor.sql.ExecutionOptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Objects read by their identity: the SELECT by primary key behind {@code get}, {@code merge}'s
 * copy onto the session's object of the same identity, and {@code refresh}'s reload in place. The
 * session's public methods hold its guard around these.
 */
final class SessionLoads {
  private final Session session;

  SessionLoads(Session session) {
    this.session = session;
  }

  /** {@link Session#getOne}'s error when there is no such row. */
  static NoResultFoundException noRow(Class<?> type, Object primaryKey) {
    return new NoResultFoundException(
        "No "
            + type.getSimpleName()
            + " with primary key "
            + primaryKey
            + "; use get() if the row may be absent.");
  }

  /** {@link Session#get(Class, Object, ExecutionOptions)} under the guard. */
  <E> Mono<E> get(Class<E> type, Object primaryKey, @Nullable ExecutionOptions options) {
    Mapper<E> mapper = Registry.mapperOf(type);
    ExecutionOptions opts = options == null ? ExecutionOptions.DEFAULTS : options;
    IdentityKey key = UnitOfWork.keyOf(mapper, primaryKey, opts.get(Session.IDENTITY_TOKEN));
    Boolean populate = opts.get(Session.POPULATE_EXISTING);
    InstanceState s = session.work.identityMap.get(key);
    if (s != null && !s.expired && (populate == null || !populate)) {
      return Mono.just(type.cast(s.object));
    }
    return byKey(mapper, key, opts);
  }

  /**
   * The object {@link Session#getLoaded} returns for an open, idle session: loaded and not expired,
   * else {@code null}; also {@code null} after a failed flush, an unmapped class or a bad key,
   * which {@code get} reports.
   */
  <E> @Nullable E loaded(Class<E> type, Object primaryKey) {
    if (session.txs.hasFailedFlush()) {
      return null;
    }
    Mapper<E> mapper = Registry.findMapper(type);
    if (mapper == null) {
      return null; // get() names the problem
    }
    IdentityKey key;
    try {
      key = UnitOfWork.keyOf(mapper, primaryKey, null);
    } catch (RuntimeException e) {
      return null; // get() raises it
    }
    InstanceState s = session.work.identityMap.get(key);
    return s != null && !s.expired ? type.cast(s.object) : null;
  }

  /** {@link Session#merge(Object, boolean)} under the guard: the object, then its cascade. */
  <E> Mono<E> merge(E entity, boolean load) {
    Mono<E> merged = mergeOne(entity, load);
    java.util.List<Object> reached = Cascade.reached(Cascade.Operation.MERGE, entity);
    if (reached.isEmpty()) {
      return merged;
    }
    return merged.flatMap(copy ->
        reactor.core.publisher.Flux.fromIterable(reached)
            .concatMap(r -> mergeOne(r, load))
            .then(Mono.just(copy)));
  }

  /** Loads the object with this identity key through the identity map; empty if no row. */
  <E> Mono<E> byKey(Mapper<E> mapper, IdentityKey key, ExecutionOptions opts) {
    return session
        .loadQueryWith(mapper.byKeyQuery(), Mapper.keyParameters(key.values()), opts)
        .flatMap(r -> Mono.justOrEmpty(r.<E>scalars().oneOrNone()));
  }

  /** Merges one object (see {@link Session#merge(Object, boolean)}), without its cascade. */
  <E> Mono<E> mergeOne(E entity, boolean load) {
    return Mono.defer(() -> {
      UnitOfWork work = session.work;
      if (work.states.containsKey(entity)) {
        return Mono.just(entity);
      }
      @SuppressWarnings("unchecked")
      Mapper<E> mapper = (Mapper<E>) Registry.mapperOf(entity.getClass());
      InstanceState probe = new InstanceState(entity, mapper, InstanceState.Status.TRANSIENT);
      IdentityKey key = probe.keyFromFields();
      boolean noIdentity = key.values().stream().anyMatch(java.util.Objects::isNull);
      if (noIdentity) {
        return Mono.just(session.attached(work.pendingCopy(mapper, entity)));
      }
      InstanceState existing = work.identityMap.get(key);
      if (existing != null) {
        UnitOfWork.copyFields(mapper, entity, existing.object);
        return Mono.just(mapper.type().cast(existing.object));
      }
      if (!load) {
        E copy = mapper.newInstance();
        UnitOfWork.copyFields(mapper, entity, copy);
        if (!mapper.relationships().isEmpty()) {
          mapper.markRelationshipsUnloaded(copy); // not read from the database: not loaded
        }
        InstanceState s = new InstanceState(copy, mapper, InstanceState.Status.PERSISTENT);
        s.key = key;
        s.snapshot();
        work.states.put(copy, s);
        work.identityMap.put(key, s);
        return Mono.just(session.attached(copy));
      }
      return byKey(mapper, key, ExecutionOptions.DEFAULTS)
          .map(found -> {
            UnitOfWork.copyFields(mapper, entity, found);
            return found;
          })
          .switchIfEmpty(
              Mono.fromSupplier(() -> session.attached(work.pendingCopy(mapper, entity))));
    });
  }

  /** Loads relationships of one object again, whether or not they were loaded. */
  private Mono<Void> loadRelated(InstanceState s, List<SelectInLoad> related) {
    return Flux.fromIterable(related)
        .concatMap(o -> {
          o.relationship().markUnloaded(s.object);
          return SelectInLoader.load(session, o, List.of(s.object), s.token, false);
        })
        .then();
  }

  /** An object's relationship, loaded first if need be; see {@link Session#fetch}. */
  @SuppressWarnings("unchecked")
  <T> Mono<List<T>> fetch(Object entity, String name) {
    session.checkOpen("fetch");
    session.checkNoPendingRollback();
    InstanceState s = session.work.stateOf(entity, "fetch");
    RelatedCollection r = s.mapper.relationship(name);
    // An expiry of the whole object (a commit) covers its collections, as the next load of the
    // object would mark them; an expiry of named columns does not.
    boolean stale = s.expired && s.expiredOnly == null;
    if (r.loaded(entity) && !stale) {
      return Mono.just((List<T>) r.read(entity));
    }
    if (s.key == null || s.status != InstanceState.Status.PERSISTENT) {
      return Mono.error(
          new InvalidRequestException(
              entity
                  + " is not persistent (it is "
                  + s.status
                  + "), so "
                  + r.label()
                  + " has no rows to load; flush it first."));
    }
    if (stale) {
      r.markUnloaded(entity);
    }
    return SelectInLoader.load(
            session, new SelectInLoad(r, List.of()), List.of(entity), s.token, false)
        .then(Mono.fromSupplier(() -> (List<T>) r.read(entity)));
  }

  /** Reloads an object in place; see {@link Session#refresh(Object, Collection)}. */
  Mono<Void> refresh(Object entity, @Nullable Collection<String> attributes) {
    session.checkOpen("refresh");
    session.checkNoPendingRollback();
    InstanceState s = session.work.stateOf(entity, "refresh");
    if (s.key == null || s.status != InstanceState.Status.PERSISTENT) {
      return Mono.error(
          new InvalidRequestException(
              entity + " is not persistent (it is " + s.status + "); flush it first."));
    }
    IdentityKey key = s.key;
    if (attributes != null && !s.mapper.relationships().isEmpty()) {
      List<String> columns = new ArrayList<>();
      List<SelectInLoad> related = new ArrayList<>();
      for (String name : attributes) {
        RelatedCollection r = s.mapper.findRelationship(name);
        if (r != null) {
          related.add(new SelectInLoad(r, List.of()));
        } else {
          columns.add(name);
        }
      }
      if (!related.isEmpty()) {
        Mono<Void> first = columns.isEmpty() ? Mono.empty() : refresh(entity, columns);
        return first.then(loadRelated(s, related));
      }
    }
    ExecutionOptions opts;
    if (attributes == null) {
      opts = ExecutionOptions.DEFAULTS.with(Session.POPULATE_EXISTING, true);
    } else {
      s.expire(attributes);
      opts = ExecutionOptions.DEFAULTS;
    }
    if (s.token != null) {
      opts = opts.with(Session.IDENTITY_TOKEN, s.token); // reloaded from the database it came from
    }
    return byKey(s.mapper, key, opts)
        .switchIfEmpty(
            Mono.error(() ->
                new NoResultFoundException(
                    "Could not refresh " + key + ": its row no longer exists.")))
        .then();
  }
}
