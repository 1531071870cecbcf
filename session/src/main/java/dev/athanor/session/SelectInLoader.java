package dev.athanor.session;

import dev.athanor.result.Result;
import dev.athanor.sql.ExecutionOptions;
import dev.athanor.sql.Expression;
import dev.athanor.sql.Select;
import dev.athanor.sql.Sql;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs a {@link SelectInLoad}: for the objects whose collection the session has not loaded (not
 * loaded yet, or a list the program gave an object it made), SELECTs the related rows whose foreign
 * key is among their keys, {@value #CHUNK} keys a statement, in the session's transaction, and
 * gives each object the list of its related objects (made or found in the identity map like any
 * query's). Each related object is listed under the foreign key value the session last read from
 * its row (its committed value), not its field's, which may hold a change not flushed yet;
 * selecting only the related class keeps the load on the loader's fast path (selecting the key
 * column beside it cost about 180 bytes a row more).
 */
final class SelectInLoader {
  /** Keys per statement (SQLAlchemy's figure): bounded parameters, few round trips. */
  static final int CHUNK = 500;

  private SelectInLoader() {}

  /** Loads {@code option}'s collection for those of {@code objects} that do not hold one. */
  static Mono<Void> load(
      Session session,
      SelectInLoad option,
      List<Object> objects,
      @Nullable Object token,
      boolean populateExisting) {
    return Mono.defer(() -> {
      RelatedCollection rel = option.relationship();
      RelatedCollection.Resolved r = rel.resolved();
      Map<Object, Object> owners = new LinkedHashMap<>();
      for (Object o : objects) {
        Object key = sameKind(r.ownerKey().read(o));
        if (key != null && !rel.loaded(o)) {
          owners.putIfAbsent(key, o);
        }
      }
      if (owners.isEmpty()) {
        return Mono.empty();
      }
      List<Object> keys = new ArrayList<>(owners.keySet());
      List<List<Object>> chunks = new ArrayList<>();
      for (int i = 0; i < keys.size(); i += CHUNK) {
        chunks.add(keys.subList(i, Math.min(keys.size(), i + CHUNK)));
      }
      ExecutionOptions opts = options(option, token, populateExisting);
      return Flux.fromIterable(chunks)
          .concatMap(chunk ->
              session
                  .loadQueryWith(query(r, chunk), Map.of(), opts)
                  .doOnNext(result -> assign(session, rel, result, chunk, owners)))
          .then();
    });
  }

  @SuppressWarnings("unchecked")
  private static Select query(RelatedCollection.Resolved r, List<Object> keys) {
    Expression<Object> fk = (Expression<Object>) r.foreignKey().column();
    return Sql.select(r.target()).where(fk.in(keys)).orderBy(r.order().toArray());
  }

  private static ExecutionOptions options(
      SelectInLoad option, @Nullable Object token, boolean populateExisting) {
    ExecutionOptions opts = ExecutionOptions.DEFAULTS.with(Session.AUTOFLUSH, false);
    if (token != null) {
      opts = opts.with(Session.IDENTITY_TOKEN, token);
    }
    if (populateExisting) {
      opts = opts.with(Session.POPULATE_EXISTING, true);
    }
    if (!option.nested().isEmpty()) {
      opts = opts.with(LoaderOptions.KEY, LoaderOptions.of(option.nested()));
    }
    return opts;
  }

  /**
   * A key as both sides are compared: whole numbers as {@code Long}, so that an {@code Integer} key
   * meets a {@code Long} foreign key (columns of different integer types).
   */
  private static @Nullable Object sameKind(@Nullable Object key) {
    if (key instanceof Integer || key instanceof Short || key instanceof Byte) {
      return ((Number) key).longValue();
    }
    return key;
  }

  /** Gives each owner of {@code keys} its related objects, in the statement's order. */
  private static void assign(
      Session session,
      RelatedCollection rel,
      Result result,
      List<Object> keys,
      Map<Object, Object> owners) {
    RelatedCollection.Resolved r = rel.resolved();
    Map<Object, InstanceState> states = session.work().states;
    Map<Object, List<Object>> byKey = new HashMap<>();
    int fkAt = r.foreignKeyAt();
    for (Object child : result.scalars().all()) {
      InstanceState state = states.get(child);
      Object[] committed = state == null ? null : state.committed;
      Object fk = committed != null ? committed[fkAt] : r.foreignKey().read(child);
      byKey.computeIfAbsent(sameKind(fk), k -> new ArrayList<>()).add(child);
    }
    for (Object key : keys) {
      List<Object> related = byKey.get(key);
      rel.write(owners.get(key), new LoadedList(rel, related == null ? List.of() : related));
    }
  }
}
