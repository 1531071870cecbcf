package dev.athanor.session;

import dev.athanor.engine.Connection;
import dev.athanor.error.InvalidRequestException;
import dev.athanor.sql.Executable;
import dev.athanor.sql.ExecutionOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * A session's flush: plans what its unit of work holds, fires {@code beforeFlush} and the mapper
 * listeners' before-write events (planning again when they changed objects), runs the planned
 * statements on the session's connections, applies the outcome to the objects, and fires the
 * after-write, {@code afterFlush}, {@code pendingToPersistent} and {@code afterFlushPostexec}
 * events. A failure, or a cancellation once it may have written, hands over to the session, which
 * rolls back and refuses work until {@code rollback()}.
 */
final class SessionFlush {
  private final Session session;

  /** Whether a flush is running (a listener of it may not start another). */
  private boolean flushing;

  SessionFlush(Session session) {
    this.session = session;
  }

  /** Plans and writes every pending change, with the flush and mapper events around it. */
  Mono<Void> now() {
    return Mono.defer(() -> {
      session.checkOpen("flush");
      session.checkNoPendingRollback();
      if (flushing) {
        return Mono.error(
            new InvalidRequestException(
                "This session is already flushing, and a listener of that flush asked to flush "
                    + "it again; changes made in beforeFlush or a before-write listener are part "
                    + "of the running flush without it."));
      }
      FlushPlan first = session.work.plan();
      if (first.isEmpty()) {
        return Mono.empty();
      }
      flushing = true;
      Progress progress = new Progress();
      boolean listened =
          !session.events.isEmpty()
              || first.steps().stream().anyMatch(step -> !step.mapper.events().isEmpty());
      // Listeners may add and change objects before the statements are planned: plan again then.
      Mono<FlushPlan> planned =
          !listened
              ? Mono.just(first)
              : Mono.fromRunnable(progress::wrote)
                  .then(session.fire(l -> l.beforeFlush(session)))
                  .then(beforeWrites())
                  .then(Mono.fromSupplier(session.work::plan));
      return planned
          .flatMap(plan -> plan.isEmpty() ? Mono.empty() : run(plan, listened, progress))
          .onErrorResume(e -> session.txs.failed(e, "flush").then(Mono.error(e)))
          // Cleared before the caller hears the outcome (doFinally would clear it after).
          .doOnTerminate(() -> flushing = false)
          .doOnCancel(() -> flushing = false)
          // After the cancellation has reached the statement in flight (so that its connection
          // takes the rollback behind it).
          .doFinally(signal -> {
            if (signal == SignalType.CANCEL && progress.stop()) {
              cancelledWhileWriting();
            }
          });
    });
  }

  /**
   * How far one flush got, as its cancellation sees it. A cancellation can arrive on another thread
   * while the flush's own work goes on (a statement completing on an event loop): the objects are
   * changed under this object's lock, and not at all once the flush was stopped, so that they never
   * take the outcome of statements the rollback that follows undoes.
   */
  private static final class Progress {
    private boolean wrote;
    private boolean stopped;

    /** The flush may have written from here on (a listener runs). */
    synchronized void wrote() {
      wrote = true;
    }

    /** A statement is about to be sent: returns false (and it is not sent) if the flush stopped. */
    synchronized boolean sends() {
      if (stopped) {
        return false;
      }
      wrote = true;
      return true;
    }

    /** Returns whether the flush goes on (it was not stopped). */
    synchronized boolean goesOn() {
      return !stopped;
    }

    /** Runs {@code change} unless the flush was stopped. */
    synchronized void change(Runnable change) {
      if (!stopped) {
        change.run();
      }
    }

    /** Stops the flush; returns whether it may have written. */
    synchronized boolean stop() {
      stopped = true;
      return wrote;
    }
  }

  /**
   * A flush cancelled after it may have written: like a failed flush, the transaction rolls back
   * (behind the statement still running, which the connection lets end) and the session refuses
   * work until {@code rollback()}. Otherwise a later flush would write the same objects again, and
   * a commit would keep half of this one.
   */
  private void cancelledWhileWriting() {
    session.txs.cancelled(
        new CancellationException("the flush was cancelled after it had begun writing"));
  }

  private Mono<Void> run(FlushPlan plan, boolean listened, Progress progress) {
    Mono<Void> writes =
        Flux.fromIterable(plan.steps())
            .concatMap(step ->
                !progress.goesOn()
                    ? Mono.empty()
                    : writer(step.mapper, step.statement, step.token())
                        .flatMap(c ->
                            progress.sends()
                                ? c.execute(step.statement, step.params)
                                : Mono.empty())
                        .doOnNext(r -> progress.change(() -> step.record(r))))
            .then();
    return writes
        .then(Mono.fromRunnable(() -> progress.change(() -> session.work.applied(plan))))
        .then(Mono.defer(() -> progress.goesOn() ? afterFlush(plan, listened) : Mono.empty()));
  }

  /** The events of a flush that wrote: after-write, afterFlush, pendingToPersistent, postexec. */
  private Mono<Void> afterFlush(FlushPlan plan, boolean listened) {
    return (listened ? afterWrites(plan) : Mono.<Void>empty())
        .then(session.fire(l -> l.afterFlush(session)))
        .then(
            Mono.fromRunnable(() -> {
              for (FlushPlan.Step step : plan.steps()) {
                if (step.kind == FlushPlan.Kind.INSERT || !step.replaced.isEmpty()) {
                  for (InstanceState st : step.states) {
                    session.events.fireSync(l -> l.pendingToPersistent(session, st.object));
                  }
                }
              }
            }))
        .then(session.fire(l -> l.afterFlushPostexec(session)));
  }

  /** The connection a flush writes a mapped class's rows on. */
  private Mono<Connection> writer(
      Mapper<?> mapper, @Nullable Executable statement, @Nullable Object token) {
    ExecutionOptions opts =
        token == null
            ? ExecutionOptions.DEFAULTS
            : ExecutionOptions.DEFAULTS.with(Session.IDENTITY_TOKEN, token);
    return session.connectionFor(mapper, statement, opts, true);
  }

  /** Fires the mapper listeners' before-write events for what a flush is about to write. */
  private Mono<Void> beforeWrites() {
    List<Mono<Void>> calls = new ArrayList<>();
    for (InstanceState st : List.copyOf(session.work.pending)) {
      calls.add(mapperEvent(st, (ml, c) -> t -> ml.beforeInsert(st.mapper, c, t)));
    }
    for (InstanceState st : session.work.dirty()) {
      calls.add(mapperEvent(st, (ml, c) -> t -> ml.beforeUpdate(st.mapper, c, t)));
    }
    // An object whose row a new object takes over (a row switch) is not deleted by a statement.
    java.util.Set<IdentityKey> switched = new java.util.HashSet<>();
    if (!session.work.toDelete.isEmpty()) {
      for (InstanceState st : session.work.pending) {
        switched.add(st.keyFromFields());
      }
    }
    for (InstanceState st : List.copyOf(session.work.toDelete)) {
      if (st.key == null || !switched.contains(st.key)) {
        calls.add(mapperEvent(st, (ml, c) -> t -> ml.beforeDelete(st.mapper, c, t)));
      }
    }
    return Flux.fromIterable(calls).concatMap(m -> m).then();
  }

  /** Fires the mapper listeners' after-write events for what a flush wrote, in its order. */
  private Mono<Void> afterWrites(FlushPlan plan) {
    List<Mono<Void>> calls = new ArrayList<>();
    for (FlushPlan.Step step : plan.steps()) {
      for (InstanceState st : step.states) {
        calls.add(
            mapperEvent(
                st,
                switch (step.kind) {
                  case INSERT -> (ml, c) -> t -> ml.afterInsert(st.mapper, c, t);
                  case UPDATE -> (ml, c) -> t -> ml.afterUpdate(st.mapper, c, t);
                  case DELETE -> (ml, c) -> t -> ml.afterDelete(st.mapper, c, t);
                }));
      }
    }
    return Flux.fromIterable(calls).concatMap(m -> m).then();
  }

  private Mono<Void> mapperEvent(
      InstanceState st,
      BiFunction<MapperListener, Connection, Function<Object, Mono<Void>>> event) {
    MapperEvents me = st.mapper.events();
    if (me.isEmpty()) {
      return Mono.empty();
    }
    return writer(st.mapper, null, st.token)
        .flatMap(
            c -> session.guard.listened(me.fire(List.of(st.object), ml -> event.apply(ml, c))));
  }
}
