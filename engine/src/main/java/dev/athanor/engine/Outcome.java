package dev.athanor.engine;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * The outcome of work that runs to its end whoever waits for it, seen as a {@code Mono} by its
 * waiters: one value, none, or an error, set once and kept for waiters that come later. A waiter
 * that cancels only stops waiting; {@link #waiterLeft()} lets the owner react (give back what
 * nobody will take, free a slot).
 *
 * <p>This is {@code Sinks.one()} with {@code doOnCancel} for the three places that hand out such an
 * outcome on every operation (the operation queue, the checkout, the close), in two objects rather
 * than seven: the outcome, usually the owner itself, and one per waiter.
 */
abstract class Outcome<T> extends Mono<T> {
  /** {@code null}, one {@link Waiter}, or a list of them; guarded by {@code this}. */
  private @Nullable Object waiters;

  private boolean done;

  /**
   * Whether a waiter has subscribed and was not cancelled while it did (one cancelled on its way
   * has left already: see {@link #waiterLeft()}).
   */
  private volatile boolean waited;

  /** Completed when the first waiter has come; made only when someone asks. Guarded by this. */
  private reactor.core.publisher.Sinks.@Nullable Empty<Void> came;

  private @Nullable T value;
  private @Nullable Throwable error;

  /** Called when a waiter cancels: it stopped waiting, the work goes on. */
  void waiterLeft() {}

  /** Returns whether a waiter has subscribed to this outcome and stayed. */
  final boolean waited() {
    return waited;
  }

  /** Completes once a waiter has subscribed (and stayed or left at once). */
  final Mono<Void> waiterCame() {
    synchronized (this) {
      if (waited || done) {
        return Mono.empty();
      }
      if (came == null) {
        came = reactor.core.publisher.Sinks.empty();
      }
      return came.asMono();
    }
  }

  /** Returns whether the outcome is set. */
  final synchronized boolean isSet() {
    return done;
  }

  /** Sets the outcome to a value; false if it was set already. */
  final boolean emitValue(T v) {
    return settle(v, null);
  }

  /** Sets the outcome to an error; false if it was set already. */
  final boolean emitError(Throwable e) {
    return settle(null, e);
  }

  /** Sets the outcome to no value; false if it was set already. */
  final boolean emitEmpty() {
    return settle(null, null);
  }

  private boolean settle(@Nullable T v, @Nullable Throwable e) {
    Object w;
    synchronized (this) {
      if (done) {
        return false;
      }
      done = true;
      value = v;
      error = e;
      w = waiters;
      waiters = null;
    }
    if (w instanceof Waiter<?> one) {
      deliver(one, v, e);
    } else if (w != null) {
      for (Object each : (List<?>) w) {
        deliver((Waiter<?>) each, v, e);
      }
    }
    return true;
  }

  @SuppressWarnings("unchecked")
  private static <T> void deliver(Waiter<T> w, @Nullable Object v, @Nullable Throwable e) {
    w.deliver((T) v, e);
  }

  @Override
  public final void subscribe(CoreSubscriber<? super T> actual) {
    Waiter<T> w = new Waiter<>(actual, this);
    // The waiter is known to its subscriber before any outcome can reach it.
    actual.onSubscribe(w);
    boolean now;
    T v;
    Throwable e;
    reactor.core.publisher.Sinks.@Nullable Empty<Void> c;
    synchronized (this) {
      now = done;
      v = value;
      e = error;
      if (!w.isCancelled()) {
        waited = true;
        if (!now) {
          add(w);
        }
      }
      c = came;
      came = null;
    }
    if (c != null) {
      c.tryEmitEmpty();
    }
    if (now) {
      w.deliver(v, e);
    }
  }

  @SuppressWarnings("unchecked")
  private void add(Waiter<T> w) {
    Object current = waiters;
    if (current == null) {
      waiters = w;
    } else if (current instanceof Waiter<?> one) {
      List<Object> l = new ArrayList<>(2);
      l.add(one);
      l.add(w);
      waiters = l;
    } else {
      ((List<Object>) current).add(w);
    }
  }

  private void left(Waiter<T> w) {
    synchronized (this) {
      Object current = waiters;
      if (current == w) {
        waiters = null;
      } else if (current instanceof List<?> l) {
        l.remove(w);
      }
    }
    waiterLeft();
  }

  /** One subscriber's view: hands it the outcome once it has asked for it. */
  private static final class Waiter<T> extends Operators.MonoSubscriber<T, T> {
    private final Outcome<T> owner;

    Waiter(CoreSubscriber<? super T> actual, Outcome<T> owner) {
      super(actual);
      this.owner = owner;
    }

    void deliver(@Nullable T v, @Nullable Throwable e) {
      if (isCancelled()) {
        return;
      }
      if (e != null) {
        actual.onError(e);
      } else if (v != null) {
        complete(v);
      } else {
        actual.onComplete();
      }
    }

    @Override
    public void cancel() {
      if (!isCancelled()) {
        super.cancel();
        owner.left(this);
      }
    }
  }
}
