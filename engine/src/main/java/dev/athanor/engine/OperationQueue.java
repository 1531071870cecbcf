package dev.athanor.engine;

import dev.athanor.error.InvalidRequestException;
import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The operations of one connection, one at a time: at most one caller waits for an operation, and
 * an operation runs on the driver only after the one before it has ended, even when that one's
 * caller gave up waiting.
 *
 * <p>A driver operation is never cancelled mid-flight: cancelling an R2DBC PostgreSQL statement
 * between its {@code Result} and its rows leaves a dead conversation on the connection
 * (r2dbc-postgresql#536, jOOQ#20112). A caller that cancels only stops listening and may go on at
 * once; what it asks next waits behind the abandoned operation. That ordering is what makes a
 * ROLLBACK after a cancellation safe: it runs after the cancelled statement, never beside it, and
 * the driver's view of the transaction is up to date when it does.
 */
final class OperationQueue {
  private final Object lock = new Object();

  /** The operation whose caller is waiting for it, or {@code null}. */
  private @Nullable Caller caller;

  /** Operations subscribed and not ended yet (abandoned ones included). */
  private int inFlight;

  /** The outcome of the last operation handed to the driver. */
  private Sinks.@Nullable One<?> last;

  private boolean closing;

  /** Whether the last operation's outcome was emitted (close then need not wait for it). */
  private boolean lastEnded = true;

  /** Where operations run, for a driver that blocks its caller's thread (H2); or {@code null}. */
  private final reactor.core.scheduler.@Nullable Scheduler blocking;

  OperationQueue(reactor.core.scheduler.@Nullable Scheduler blocking) {
    this.blocking = blocking;
  }

  /** The operation a caller waits for; identity matters, not the name. */
  private record Caller(String op) {}

  /**
   * Runs {@code body} after every earlier operation has ended, whether or not the caller of the
   * returned {@code Mono} stays subscribed.
   *
   * @param closed the error for an operation that starts once {@link #close} was called
   */
  <T> Mono<T> run(String op, Supplier<? extends RuntimeException> closed, Mono<T> body) {
    return Mono.defer(() -> {
      Caller me = new Caller(op);
      Sinks.One<T> out = Sinks.one();
      Sinks.@Nullable One<?> before;
      synchronized (lock) {
        if (closing) {
          return Mono.error(closed.get());
        }
        if (caller != null) {
          return Mono.error(busy(caller.op, op));
        }
        caller = me;
        before = inFlight > 0 && !lastEnded ? last : null;
        inFlight++;
        last = out;
        lastEnded = false;
      }
      Mono<T> start =
          before == null
              ? body
              : before.asMono().then().onErrorResume(e -> Mono.empty()).then(body);
      if (blocking != null) {
        // H2 runs each statement on the thread that subscribes, and waits there for row locks: on
        // a coroutine dispatcher or an event loop that wait would stall the transaction holding
        // the lock as well.
        start = start.subscribeOn(blocking);
      }
      start.subscribe(new Runner<>(me, out));
      return out.asMono().doOnCancel(() -> release(me));
    });
  }

  /**
   * Runs one operation to its end, whoever waits for it: frees the caller and emits the outcome,
   * then counts the operation ended. (One object per operation, where a lambda subscriber, its
   * three callbacks and a {@code doFinally} were five.)
   */
  private final class Runner<T> implements CoreSubscriber<T> {
    private final Caller me;
    private final Sinks.One<T> out;
    private boolean valued;

    Runner(Caller me, Sinks.One<T> out) {
      this.me = me;
      this.out = out;
    }

    @Override
    public void onSubscribe(Subscription s) {
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(T value) {
      valued = true;
      release(me, out);
      out.tryEmitValue(value);
    }

    @Override
    public void onError(Throwable e) {
      release(me, out);
      out.tryEmitError(e);
      ended();
    }

    @Override
    public void onComplete() {
      if (!valued) {
        release(me, out);
        out.tryEmitEmpty();
      }
      ended();
    }
  }

  private void release(Caller me) {
    synchronized (lock) {
      if (caller == me) {
        caller = null;
      }
    }
  }

  /** Frees the caller and marks the operation ended, just before its outcome is emitted. */
  private void release(Caller me, Sinks.One<?> out) {
    synchronized (lock) {
      if (caller == me) {
        caller = null;
      }
      if (last == out) {
        lastEnded = true;
      }
    }
  }

  private void ended() {
    synchronized (lock) {
      inFlight--;
    }
  }

  /**
   * Refuses new operations from now on and completes when the ones in flight have ended. After
   * {@code limit} it completes with {@code false}: the connection is in an unknown state and must
   * be discarded, not reused.
   */
  Mono<Boolean> close(Duration limit) {
    Sinks.@Nullable One<?> wait;
    synchronized (lock) {
      closing = true;
      // The usual case: the caller closes right after its last operation's outcome arrived.
      wait = inFlight > 0 && !lastEnded ? last : null;
    }
    if (wait == null) {
      return Mono.just(Boolean.TRUE);
    }
    return wait.asMono()
        .then()
        .onErrorResume(e -> Mono.empty())
        .thenReturn(Boolean.TRUE)
        .timeout(limit, Mono.just(Boolean.FALSE));
  }

  /** Returns whether {@link #close} was called. */
  boolean isClosing() {
    synchronized (lock) {
      return closing;
    }
  }

  private static InvalidRequestException busy(String running, String op) {
    return new InvalidRequestException(
        "This connection is already running "
            + running
            + "() for another caller; "
            + op
            + "() cannot start until it ends. A connection serves one flow of "
            + "control at a time: await each operation before the next, or give each "
            + "concurrent task its own connection (engine.connect()).");
  }
}
