package dev.athanor.session;

import dev.athanor.engine.internal.CallerFlow;
import dev.athanor.error.InvalidRequestException;
import dev.athanor.session.internal.ListenerCalls;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
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
  /**
   * The Reactor context key under which an operation's work carries its {@link Hold}: the key its
   * connection reads the caller's flow from as well.
   */
  private static final Object HOLD = CallerFlow.KEY;

  /**
   * One operation's hold on the guard. {@code working} counts its parts that must end once begun
   * ({@link #runToEnd}, {@link #loadToEnd}); {@code left} says its caller is gone (cancelled, or a
   * {@code runSync} function returned). The guard is let go when both are so: no part runs and no
   * caller waits. Fields guarded by the {@link SessionGuard}.
   */
  final class Hold implements CallerFlow {
    final String name;
    int working;
    boolean left;
    Sinks.@Nullable Empty<Void> ended;

    Hold(String name) {
      this.name = name;
    }

    /**
     * Its caller left and no part of it runs: the connection work still in flight for it is
     * abandoned, and the session's next operation queues behind it.
     */
    @Override
    public boolean gone() {
      synchronized (SessionGuard.this) {
        return left && working == 0;
      }
    }
  }

  /** The session whose guard this is: the value a listener's work carries in its context. */
  private final Session owner;

  private final AtomicReference<@Nullable Hold> running = new AtomicReference<>();

  /** The virtual thread running a {@code runSync} function or a blocking listener. */
  private volatile @Nullable Thread syncThread;

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
   * the answer so that its next call finds the session free. If the caller is cancelled, the guard
   * is let go at once, or, when a part that must end once begun is running, when that part ends;
   * the session's next operation waits for that end.
   */
  <T> Mono<T> op(String name, Supplier<Mono<T>> body) {
    return Mono.deferContextual(ctx -> {
      if (onSyncThread() || ctx.getOrDefault(ListenerCalls.OWNER, null) == owner) {
        // On behalf of the operation holding the guard: its parts count as that operation's.
        Hold holder = running.get();
        return holder == null || ctx.hasKey(HOLD)
            ? body.get()
            : body.get().contextWrite(c -> c.put(HOLD, holder));
      }
      return acquiring(
          name,
          h -> {
            Mono<T> m;
            try {
              m = body.get();
            } catch (RuntimeException e) {
              running.compareAndSet(h, null);
              return Mono.error(e);
            }
            return m.doOnSuccess(v -> running.compareAndSet(h, null))
                .doOnError(e -> running.compareAndSet(h, null))
                .doOnCancel(() -> leave(h))
                .contextWrite(c -> c.put(HOLD, h));
          });
    });
  }

  /**
   * Takes the guard for {@code name} and goes on with {@code next} holding it. While a part whose
   * caller was cancelled still holds it (a commit's end, a load), waits for that part to end and
   * tries again; while another caller's operation holds it, fails with {@link #busy}.
   */
  <T> Mono<T> acquiring(String name, Function<Hold, Mono<T>> next) {
    Hold h = new Hold(name);
    if (!running.compareAndSet(null, h)) {
      Mono<Void> ending = abandonedEnd();
      if (ending != null) {
        return ending.then(Mono.defer(() -> acquiring(name, next)));
      }
      // An abandoned part may have ended (and let go of the guard) since the first try.
      if (!running.compareAndSet(null, h)) {
        return Mono.error(busy(name));
      }
    }
    return next.apply(h);
  }

  /**
   * Runs {@code tail}, the part of an operation that must end once begun (a commit that has started
   * committing, a rollback, the loads after a query's result), to its end even if the operation's
   * caller is cancelled meanwhile: the caller hears the tail's outcome, but cancelling it lets the
   * tail go on, holding the guard until it ends. The session's next operation then waits for it
   * (see {@link #op}); a plain call meanwhile is refused, naming it. A tail whose caller left
   * before it began does not run.
   */
  <T> Mono<T> runToEnd(Mono<T> tail) {
    return Mono.deferContextual(ctx -> {
      Hold h = ctx.getOrDefault(HOLD, null);
      if (h == null) {
        return tail; // not under an operation of this guard
      }
      if (!enter(h)) {
        return Mono.empty(); // the caller left before the tail began: nobody awaits it
      }
      Sinks.One<T> answer = Sinks.one();
      tail.contextWrite(ctx)
          .materialize()
          .subscribe(s -> {
            exit(h);
            if (s.hasValue()) {
              answer.tryEmitValue(s.get());
            } else if (s.hasError()) {
              answer.tryEmitError(s.getThrowable());
            } else {
              answer.tryEmitEmpty();
            }
          });
      return answer.asMono();
    });
  }

  /**
   * Applies {@code load} (which changes the session's maps) to {@code source}'s value as a part
   * that ends once begun: a caller cancelled while it runs on the thread that delivered the value
   * does not let the session's next operation in before it ends. The synchronous form of {@link
   * #runToEnd}, for the load after a query's result.
   */
  <T, R> Mono<R> loadToEnd(Mono<T> source, Function<T, R> load) {
    return Mono.deferContextual(ctx -> {
      Hold h = ctx.getOrDefault(HOLD, null);
      if (h == null) {
        return source.map(load);
      }
      return source.handle((v, sink) -> {
        if (!enter(h)) {
          return; // the caller left before the load began: the session is not changed
        }
        R made;
        try {
          made = load.apply(v);
        } finally {
          exit(h);
        }
        sink.next(made);
      });
    });
  }

  /** Begins a part of {@code h}'s operation; refused when its caller left and nothing else runs. */
  private synchronized boolean enter(Hold h) {
    if (h.left && h.working == 0) {
      return false;
    }
    if (h.working++ == 0) {
      h.ended = Sinks.empty();
    }
    return true;
  }

  /** Ends a part of {@code h}'s operation: the last one lets go of the guard if its caller left. */
  private void exit(Hold h) {
    Sinks.@Nullable Empty<Void> ended = null;
    synchronized (this) {
      if (--h.working == 0) {
        ended = h.ended;
        h.ended = null;
        if (h.left) {
          running.compareAndSet(h, null);
        }
      }
    }
    if (ended != null) {
      ended.tryEmitEmpty();
    }
  }

  /** The caller of {@code h}'s operation is gone: the guard goes now, or when its parts end. */
  private void leave(Hold h) {
    synchronized (this) {
      h.left = true;
      if (h.working > 0) {
        return;
      }
    }
    running.compareAndSet(h, null);
  }

  /** When a part whose caller left holds the guard: its end; otherwise {@code null}. */
  synchronized @Nullable Mono<Void> abandonedEnd() {
    Hold h = running.get();
    Sinks.@Nullable Empty<Void> ended = h == null || !h.left ? null : h.ended;
    return ended == null ? null : ended.asMono();
  }

  /**
   * Lets go of a hold an operation releases itself ({@code runSync}, through {@link #acquiring}),
   * or, when parts of it still run, lets the last of them do so.
   */
  void release(Hold h) {
    leave(h);
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
              + nameOf(running.get())
              + "(), whose caller was cancelled after it had begun, and cannot run "
              + name
              + "() meanwhile. The session's next awaited operation (a query, get, commit, runSync, "
              + "rollback or close) waits for it to end; make this call after that.");
    }
    return new InvalidRequestException(
        "This session is busy with "
            + nameOf(running.get())
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

  private static String nameOf(@Nullable Hold h) {
    return h == null ? "another operation" : h.name;
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
