package dev.athanor.session;

import dev.athanor.error.InvalidRequestException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * A session's guard (DESIGN.md, decision 6): one flow of control at a time. An operation holds it
 * from its start until its caller hears the answer; a second caller meanwhile is refused with an
 * error naming both operations. Calls made by whoever holds it on the operation's behalf pass: a
 * {@code runSync} function on its virtual thread, and a listener that the operation awaits (by the
 * Reactor context its work carries, or, for a {@code CompletionStage} that carries none, while any
 * listener runs).
 */
final class SessionGuard {
  /** The Reactor context key under which a listener's work carries its guard. */
  private static final Object OWNER = new Object();

  private final AtomicReference<@Nullable String> running = new AtomicReference<>();

  /** The virtual thread running a {@code runSync} function or a blocking listener. */
  private volatile @Nullable Thread syncThread;

  /** How many listeners are running (awaited by the operation that fired them). */
  private final AtomicInteger listening = new AtomicInteger();

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
      if (onSyncThread() || ctx.getOrDefault(OWNER, null) == this || listening.get() > 0) {
        return body.get();
      }
      if (!running.compareAndSet(null, name)) {
        return Mono.error(busy(name));
      }
      Mono<T> m;
      try {
        m = body.get();
      } catch (RuntimeException e) {
        running.compareAndSet(name, null);
        return Mono.error(e);
      }
      Runnable release = () -> running.compareAndSet(name, null);
      return m.doOnSuccess(v -> release.run()).doOnError(e -> release.run()).doOnCancel(release);
    });
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
    return new InvalidRequestException(
        "This session is busy with "
            + running.get()
            + "() and cannot start "
            + name
            + "(): a session serves one flow of control at a time. Await the first call before "
            + "the next, or give each concurrent task a session of its own.");
  }

  /** Marks a listener's work: its calls to the session pass the guard. */
  Mono<Void> listened(Mono<Void> work) {
    return Mono.defer(
            () -> {
              listening.incrementAndGet();
              // Cleared before the operation hears the outcome (doFinally would clear it after).
              return work.doOnTerminate(listening::decrementAndGet)
                  .doOnCancel(listening::decrementAndGet);
            })
        .contextWrite(ctx -> ctx.put(OWNER, this));
  }
}
