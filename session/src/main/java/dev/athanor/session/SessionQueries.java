package dev.athanor.session;

import dev.athanor.engine.Connection;
import dev.athanor.error.InvalidRequestException;
import dev.athanor.result.Result;
import dev.athanor.result.StreamingResult;
import dev.athanor.sql.Delete;
import dev.athanor.sql.Executable;
import dev.athanor.sql.ExecutionOptions;
import dev.athanor.sql.Select;
import dev.athanor.sql.Update;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * How a statement runs through a session: the autoflush, the connection its binds name, and the
 * loader that turns a SELECT's (or a RETURNING's) mapped classes into objects of the identity map;
 * an ORM bulk UPDATE or DELETE with its synchronization of the objects held. The session's public
 * methods hold its guard around these.
 */
final class SessionQueries {
  private final Session session;

  SessionQueries(Session session) {
    this.session = session;
  }

  /** Runs a statement in the session's transaction, its mapped classes loaded as objects. */
  Mono<Result> run(
      Executable statement, Map<String, ?> parameters, @Nullable ExecutionOptions callOptions) {
    return Mono.defer(() -> {
      session.checkOpen("execute");
      session.checkNoPendingRollback();
      ExecutionOptions opts = optionsOf(statement, callOptions);
      if ((statement instanceof Update || statement instanceof Delete)
          && ((dev.athanor.sql.Statement) statement).annotations().get(Mapper.ENTITY)
              instanceof Mapper<?> m) {
        return bulk((dev.athanor.sql.Statement) statement, m, parameters, callOptions, opts);
      }
      EntityLoader loader = loaderFor(statement, opts);
      Mono<Result> result =
          autoflush(opts, session.connectionFor(null, statement, opts, false))
              .flatMap(c -> c.execute(statement, List.of(parameters), callOptions));
      if (loader == null) {
        return result;
      }
      // Once the result is here, its load ends even if the caller is cancelled meanwhile: the
      // session's next operation waits for it instead of changing the maps beside it.
      if (!loader.hasStrategies()) {
        return session.guard.loadToEnd(result, r -> r.process(loader));
      }
      return result.flatMap(r ->
          session.guard.runToEnd(
              Mono.defer(() -> {
                Result made = r.process(loader);
                return loader.completeLoads().thenReturn(made);
              })));
    });
  }

  /** Opens a stream of a statement in the session's transaction; see {@link Session#stream}. */
  Mono<StreamingResult> stream(
      Executable statement, Map<String, ?> parameters, @Nullable ExecutionOptions options) {
    session.checkOpen("stream");
    session.checkNoPendingRollback();
    ExecutionOptions opts = optionsOf(statement, options);
    EntityLoader made = loaderFor(statement, opts);
    Boolean release = opts.get(Session.RELEASE_STREAMED);
    EntityLoader loader = made != null && release != null && release ? made.releasing() : made;
    if (loader != null && loader.hasStrategies()) {
      return Mono.error(
          new InvalidRequestException(
              "stream() cannot load "
                  + statement
                  + ": a class it selects has loaders that run statements of their own "
                  + "after each load, which cannot run while the connection streams; use "
                  + "execute() or scalars() for this query."));
    }
    return autoflush(opts, session.connectionFor(null, statement, opts, false))
        .flatMap(c -> c.stream(statement, parameters, options))
        .map(r -> loader == null ? r : r.process(loader));
  }

  private Mono<Void> autoflush(ExecutionOptions options) {
    return needsAutoflush(options) ? session.flushNow() : Mono.empty();
  }

  /** {@code next} after the autoflush, if there is anything it could write. */
  private <T> Mono<T> autoflush(ExecutionOptions options, Mono<T> next) {
    return needsAutoflush(options) ? session.flushNow().then(next) : next;
  }

  /** Autoflush is on for this statement, and the session holds objects (else nothing to write). */
  private boolean needsAutoflush(ExecutionOptions options) {
    return session.autoflushFor(options) && !session.work.isEmpty();
  }

  /** The statement's execution options with the call's laid over them. */
  private static ExecutionOptions optionsOf(
      Executable statement, @Nullable ExecutionOptions callOptions) {
    ExecutionOptions opts = statement.getExecutionOptions();
    return callOptions == null ? opts : opts.merge(callOptions);
  }

  /** The loader that makes objects of a SELECT's mapped classes, or {@code null} if none. */
  private @Nullable EntityLoader loaderFor(Executable statement, ExecutionOptions opts) {
    Boolean populate = opts.get(Session.POPULATE_EXISTING);
    Object token = opts.get(Session.IDENTITY_TOKEN);
    if (statement instanceof Select s) {
      EntityLoader loader = EntityLoader.of(session, s, populate != null && populate, token);
      return loader == null ? null : loader.selectingIn(opts.get(LoaderOptions.KEY));
    }
    if (statement instanceof dev.athanor.sql.Insert i && !i.returningSources().isEmpty()) {
      // insert(User).values(...).returning(User): the new rows come back as persistent objects.
      return EntityLoader.of(session, i.returningSources(), false, token);
    }
    return null;
  }

  /**
   * Runs an ORM bulk UPDATE or DELETE (its target a mapped class) and synchronizes the objects of
   * that class the session holds, as {@link Session#SYNCHRONIZE_SESSION} says: planned in memory
   * first, then (for a fetch) the matching keys are selected, the statement runs, and the objects
   * change.
   */
  @SuppressWarnings("unchecked")
  private Mono<Result> bulk(
      dev.athanor.sql.Statement statement,
      Mapper<?> target,
      Map<String, ?> parameters,
      @Nullable ExecutionOptions callOptions,
      ExecutionOptions opts) {
    SynchronizeSession asked = opts.get(Session.SYNCHRONIZE_SESSION);
    BulkSync sync =
        BulkSync.plan(
            statement,
            (Mapper<Object>) target,
            asked == null ? SynchronizeSession.AUTO : asked,
            opts.get(Session.IDENTITY_TOKEN));
    // The keys are fetched where the statement runs: from the database it changes.
    Mono<Connection> conn = session.connectionFor(target, statement, opts, false);
    Mono<Set<IdentityKey>> fetched =
        sync.mode == SynchronizeSession.FETCH
            ? conn.flatMap(c -> c.execute(sync.keysQuery(), parameters)).map(sync::keys)
            : Mono.just(Set.of());
    return autoflush(opts)
        .then(fetched)
        .flatMap(keys ->
            conn.flatMap(c -> c.execute(statement, List.of(parameters), callOptions))
                .doOnNext(r -> sync.apply(session.work, keys)));
  }
}
