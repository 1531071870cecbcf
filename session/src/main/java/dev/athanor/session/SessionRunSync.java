package dev.athanor.session;

import dev.athanor.error.InvalidRequestException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * {@code Session.runSync}: blocking code on a virtual thread over the session's connection, holding
 * the session's guard from before the function starts until it returns (not merely until the caller
 * stops waiting), so that a cancelled caller cannot let another call in while the function still
 * runs. A function cancelled before it began does not run. Like the session's other awaited
 * operations, it waits for the end of a commit, rollback or load whose caller was cancelled.
 */
final class SessionRunSync {
  private SessionRunSync() {}

  /** Runs a blocking listener on a virtual thread whose calls to {@code session} pass the guard. */
  static Mono<Void> listener(Session session, java.util.function.Consumer<SyncSession> body) {
    return Mono.<Void>fromRunnable(
            () -> {
              Thread previous = session.guard.enterSyncThread();
              try {
                body.accept(new SyncSession(session));
              } finally {
                session.guard.leaveSyncThread(previous);
              }
            })
        .subscribeOn(dev.athanor.engine.internal.Blocking.scheduler());
  }

  static <T> Mono<T> run(Session session, Function<SyncSession, @Nullable T> fn) {
    return Mono.defer(() -> {
      if (session.guard.onSyncThread()) {
        return Mono.error(
            new InvalidRequestException(
                "runSync() was called inside a runSync() function of the same session; call the "
                    + "SyncSession's methods there instead."));
      }
      // Like the session's other awaited operations, it waits for a part whose caller was
      // cancelled (a commit's end, a load) to end; another caller's operation makes it fail.
      return session.guard.acquiring("runSync", held -> start(session, fn, held));
    });
  }

  private static <T> Mono<T> start(
      Session session, Function<SyncSession, @Nullable T> fn, SessionGuard.Hold held) {
    // The guard is held until the function returns, not just until the caller stops waiting:
    // a cancelled caller must not let another call in while the function still runs.
    Runnable release = () -> session.guard.release(held);
    AtomicBoolean started = new AtomicBoolean();
    try {
      session.checkOpen("runSync");
      session.checkNoPendingRollback();
    } catch (RuntimeException e) {
      release.run();
      return Mono.error(e);
    }
    return session
        .connection()
        .flatMap(c ->
            c.runSync(sync -> {
              if (!started.compareAndSet(false, true)) {
                return null; // cancelled before it began: the function does not run
              }
              Thread previous = session.guard.enterSyncThread();
              try {
                return fn.apply(new SyncSession(session));
              } finally {
                session.guard.leaveSyncThread(previous);
                release.run();
              }
            }))
        .doOnError(e -> {
          if (started.compareAndSet(false, true)) {
            release.run();
          }
        })
        .doOnCancel(() -> {
          if (started.compareAndSet(false, true)) {
            release.run();
          }
        });
  }
}
