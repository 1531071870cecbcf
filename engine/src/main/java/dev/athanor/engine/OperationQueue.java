package dev.athanor.engine;

import dev.athanor.engine.internal.CallerFlow;
import dev.athanor.error.InvalidRequestException;
import java.time.Duration;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

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
  private @Nullable Runner<?> caller;

  /** Operations subscribed and not ended yet (abandoned ones included). */
  private int inFlight;

  /** The last operation handed to the driver. */
  private @Nullable Runner<?> last;

  private boolean closing;

  /** Whether the last operation's outcome was emitted (close then need not wait for it). */
  private boolean lastEnded = true;

  /** Where operations run, for a driver that blocks its caller's thread (H2); or {@code null}. */
  private final reactor.core.scheduler.@Nullable Scheduler blocking;

  OperationQueue(reactor.core.scheduler.@Nullable Scheduler blocking) {
    this.blocking = blocking;
  }

  /**
   * Runs {@code body} after every earlier operation has ended, whether or not the caller of the
   * returned {@code Mono} stays subscribed. Call it when the caller subscribes (inside its {@code
   * Mono.defer}): the returned {@code Mono} is the outcome of this one run.
   *
   * @param closed the error for an operation that starts once {@link #close} was called
   * @param flow the flow of control the caller runs in, if its context names one
   */
  <T> Mono<T> runNow(
      String op,
      Function<String, ? extends RuntimeException> closed,
      Mono<T> body,
      @Nullable CallerFlow flow) {
    Runner<T> me = new Runner<>(op, flow);
    Runner<?> before;
    synchronized (lock) {
      if (closing) {
        return Mono.error(closed.apply(op));
      }
      if (caller != null && !caller.abandonedFor(flow)) {
        if (caller.waited()) {
          return Mono.error(busy(caller.op, op));
        }
        // The caller's waiter has not come yet: a cancellation arriving on another thread as the
        // operation started can let the cancelled caller go on before its waiter came (and left).
        // Decide once it has come: refused if it stayed, queued behind the operation if it left.
        Runner<?> holder = caller;
        return holder.waiterCame().then(Mono.defer(() -> runNow(op, closed, body, flow)));
      }
      // No caller waits, or only one whose flow has gone (its cancellation is still on its way to
      // the waiter): this operation runs after that one, as after any abandoned operation.
      caller = me;
      before = inFlight > 0 && !lastEnded ? last : null;
      inFlight++;
      last = me;
      lastEnded = false;
    }
    Mono<T> start =
        before == null ? body : before.then().onErrorResume(e -> Mono.empty()).then(body);
    if (blocking != null) {
      // H2 runs each statement on the thread that subscribes, and waits there for row locks: on
      // a coroutine dispatcher or an event loop that wait would stall the transaction holding
      // the lock as well.
      start = start.subscribeOn(blocking);
    }
    start.subscribe(me);
    return me;
  }

  /**
   * One operation: runs it to its end whoever waits for it, frees the caller and sets the outcome
   * the caller waits for, then counts the operation ended. One object is the queue's record of the
   * operation, the subscriber to its work and the outcome its caller subscribes to.
   */
  private final class Runner<T> extends Outcome<T> implements CoreSubscriber<T> {
    private final String op;
    private final @Nullable CallerFlow flow;
    private boolean valued;

    Runner(String op, @Nullable CallerFlow flow) {
      this.op = op;
      this.flow = flow;
    }

    /**
     * Whether this operation's caller is known to be gone, to a caller in {@code other} flow: a
     * flow's own later operation (a listener of it) is still refused while its waiter stays.
     */
    boolean abandonedFor(@Nullable CallerFlow other) {
      CallerFlow f = flow;
      return f != null && f != other && f.gone();
    }

    @Override
    public void onSubscribe(Subscription s) {
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(T value) {
      valued = true;
      released(this);
      emitValue(value);
    }

    @Override
    public void onError(Throwable e) {
      released(this);
      emitError(e);
      ended();
    }

    @Override
    public void onComplete() {
      if (!valued) {
        released(this);
        emitEmpty();
      }
      ended();
    }

    /** The caller stopped waiting: the next operation may be asked for now. */
    @Override
    void waiterLeft() {
      synchronized (lock) {
        if (caller == this) {
          caller = null;
        }
      }
    }
  }

  /** Frees the caller and marks the operation ended, just before its outcome is emitted. */
  private void released(Runner<?> me) {
    synchronized (lock) {
      if (caller == me) {
        caller = null;
      }
      if (last == me) {
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
   * Refuses new operations from now on; returns {@code null} when none is in flight (the usual
   * case), else a {@code Mono} that completes when they have ended. After {@code limit} it
   * completes with {@code false}: the connection is in an unknown state and must be discarded, not
   * reused.
   */
  @Nullable Mono<Boolean> close(Duration limit) {
    @Nullable Runner<?> wait;
    synchronized (lock) {
      closing = true;
      // The usual case: the caller closes right after its last operation's outcome arrived.
      wait = inFlight > 0 && !lastEnded ? last : null;
    }
    if (wait == null) {
      return null;
    }
    return wait.then()
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
