package dev.athanor.session;

import dev.athanor.error.InvalidRequestException;
import dev.athanor.session.internal.ListenerCalls;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A session's guard (DESIGN.md, decision 6): one flow of control at a time. An operation holds it
 * from its start until its caller hears the answer; a second caller meanwhile is refused with an
 * error naming both operations. Calls made by whoever holds it on the operation's behalf pass: a
 * {@code runSync} function on its virtual thread, and a listener that the operation awaits, known
 * by the Reactor context its work carries (a Java {@code CompletionStage} listener's session face
 * writes that context into every call it makes). A plain call (add, expire, ...) carries no
 * context: while a listener runs, plain calls pass.
 */
final class SessionGuard {
  /** The session whose guard this is: the value a listener's work carries in its context. */
  private final Session owner;

  private final AtomicReference<@Nullable String> running = new AtomicReference<>();

  /** The virtual thread running a {@code runSync} function or a blocking listener. */
  private volatile @Nullable Thread syncThread;

  /** The end of the running operation's {@link #runToEnd} tail, while one runs. */
  private Sinks.@Nullable Empty<Void> tailEnded;

  /** Whether the caller of the operation whose tail runs was cancelled (guarded by this). */
  private boolean abandoned;

  /** How many listeners are running (awaited by the operation that fired them). */
  private final AtomicInteger listening = new AtomicInteger();

  SessionGuard(Session owner) {
    this.owner = owner;
  }

  /** Returns whether no operation holds the guard. */
  boolean isFree() {
    return running.get() == null;
  }

  boolean onSyncThread() {
    return syncThread == Thread.currentThread();
  }

  /** Marks the calling thread as the one whose calls pass; returns the one marked before. */
  @Nullable Thread enterSyncThread() {
    Thread previous = syncThread;
    syncThread = Thread.currentThread();
    return previous;
  }

  void leaveSyncThread(@Nullable Thread previous) {
    syncThread = previous;
  }

  /**
   * Runs {@code body} holding the guard (or inside what holds it), released before the caller hears
   * the answer so that its next call finds the session free.
   */
  <T> Mono<T> op(String name, Supplier<Mono<T>> body) {
    return Mono.deferContextual(ctx -> {
      if (onSyncThread() || ctx.getOrDefault(ListenerCalls.OWNER, null) == owner) {
        return body.get();
      }
      if (!running.compareAndSet(null, name)) {
        Mono<Void> ending = abandonedEnd();
        if (ending != null) {
          return ending.then(Mono.defer(() -> op(name, body)));
        }
        // An abandoned tail may have ended (and let go of the guard) since the first try.
        if (!running.compareAndSet(null, name)) {
          return Mono.error(busy(name));
        }
      }
      Mono<T> m;
      try {
        m = body.get();
      } catch (RuntimeException e) {
        running.compareAndSet(name, null);
        return Mono.error(e);
      }
      Runnable release = () -> running.compareAndSet(name, null);
      return m.doOnSuccess(v -> release.run())
          .doOnError(e -> release.run())
          .doOnCancel(() -> cancelled(name));
    });
  }

  /**
   * Runs {@code tail}, the part of an operation that must end once begun (a commit that has started
   * committing, a rollback), to its end even if the operation's caller is cancelled meanwhile: the
   * caller hears the tail's outcome, but cancelling it lets the tail go on, holding the guard until
   * it ends. The session's next operation then waits for it (see {@link #op}); a plain call
   * meanwhile is refused, naming it.
   */
  Mono<Void> runToEnd(Mono<Void> tail) {
    return Mono.deferContextual(ctx -> {
      Sinks.Empty<Void> answer = Sinks.empty();
      Sinks.Empty<Void> ended = Sinks.empty();
      synchronized (this) {
        tailEnded = ended;
        abandoned = false;
      }
      tail.contextWrite(ctx)
          .subscribe(
              null,
              e -> {
                tailEnded(ended);
                answer.tryEmitError(e);
              },
              () -> {
                tailEnded(ended);
                answer.tryEmitEmpty();
              });
      return answer.asMono();
    });
  }

  /** The caller of the operation holding the guard was cancelled. */
  private void cancelled(String name) {
    synchronized (this) {
      if (tailEnded != null) {
        abandoned = true; // the tail releases the guard when it ends
        return;
      }
    }
    running.compareAndSet(name, null);
  }

  /** A tail ended: if its caller left, the guard is released here, then its waiters go on. */
  private void tailEnded(Sinks.Empty<Void> ended) {
    synchronized (this) {
      if (tailEnded == ended) {
        tailEnded = null;
        if (abandoned) {
          abandoned = false;
          running.set(null);
        }
      }
    }
    ended.tryEmitEmpty();
  }

  /** When a tail whose caller left holds the guard: its end; otherwise {@code null}. */
  synchronized @Nullable Mono<Void> abandonedEnd() {
    Sinks.@Nullable Empty<Void> ended = tailEnded;
    return ended != null && abandoned ? ended.asMono() : null;
  }

  /** Takes the guard for an operation whose release is its own ({@code runSync}). */
  boolean tryAcquire(String name) {
    return running.compareAndSet(null, name);
  }

  void release(String name) {
    running.compareAndSet(name, null);
  }

  /**
   * Refuses a plain call (add, expire, ...) while another operation runs. While a listener runs,
   * the flow that fired it waits for it, so a plain call then is the listener's own.
   */
  void checkIdle(String name) {
    if (running.get() != null && !onSyncThread() && listening.get() == 0) {
      throw busy(name);
    }
  }

  InvalidRequestException busy(String name) {
    if (abandonedEnd() != null) {
      return new InvalidRequestException(
          "This session is finishing "
              + running.get()
              + "(), whose caller was cancelled after it had begun, and cannot run "
              + name
              + "() meanwhile. The session's next awaited operation (a query, get, commit, "
              + "rollback or close) waits for it to end; make this call after that.");
    }
    return new InvalidRequestException(
        "This session is busy with "
            + running.get()
            + "() and cannot start "
            + name
            + "(): a session serves one flow of control at a time. Await the first call before "
            + "the next, or give each concurrent task a session of its own."
            + (listening.get() > 0
                ? " A listener of this session is running: if this call is the listener's own, make"
                    + " it through the session the listener was given, in the listener's own flow"
                    + " (its returned Mono, suspend function or CompletionStage)."
                : ""));
  }

  /** Marks a listener's work: its calls to the session pass the guard. */
  Mono<Void> listened(Mono<Void> work) {
    return ListenerCalls.onBehalfOf(
        owner,
        Mono.defer(() -> {
          listening.incrementAndGet();
          // Cleared before the operation hears the outcome (doFinally would clear it after).
          return work.doOnTerminate(listening::decrementAndGet)
              .doOnCancel(listening::decrementAndGet);
        }));
  }
}
