package dev.athanor.engine;

import dev.athanor.engine.internal.WaitTimer;
import dev.athanor.error.InvalidRequestException;
import dev.athanor.error.ResourceClosedException;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * How a connection is checked out of its engine's pool, once: the pool's acquire, the checkout
 * listeners (their IO included), and the hand-over to the caller. The checkout runs to its end even
 * when the caller stops waiting, so that a driver connection arriving for nobody goes back to the
 * pool rather than being lost in flight. State changes are made under the connection's lock, the
 * same one {@link Connection#close()} takes. It is the subscriber to the pool's acquire and the
 * outcome the caller of {@code start()} waits for.
 */
final class ConnectionCheckout extends Outcome<Connection>
    implements CoreSubscriber<io.r2dbc.spi.Connection>, TimerTask {
  private final Connection conn;
  private boolean called;

  /** Set while the checkout listeners' IO runs; a caller that leaves then is noted below. */
  private volatile boolean preparing;

  private volatile boolean abandonedWhilePreparing;

  ConnectionCheckout(Connection conn) {
    this.conn = conn;
  }

  /** Checks the connection out; see {@link Connection#start()}. */
  Mono<Connection> start() {
    return Mono.defer(() -> {
      synchronized (conn) {
        if (conn.isClosed()) {
          return Mono.error(
              new ResourceClosedException(
                  "This connection was closed before it started; get a new one from the engine."));
        }
        if (called) {
          return Mono.error(
              new InvalidRequestException(
                  "This connection was already started; start() checks a connection out once."));
        }
        called = true;
      }
      conn.engine().acquire().subscribe(this);
      if (!settled) {
        limitWait();
      }
      // A caller that gives up before the driver connection arrives closes the connection: the
      // driver connection goes back to the pool when it comes (waiterLeft).
      return this;
    });
  }

  /** The pool's acquire, to dispose of when the wait times out. */
  private volatile @Nullable Subscription acquiring;

  @Override
  public void onSubscribe(Subscription s) {
    acquiring = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(io.r2dbc.spi.Connection r) {
    if (settle()) {
      arrived(r);
    } else {
      giveBack(r); // it came after the checkout timed out
    }
  }

  @Override
  public void onError(Throwable e) {
    if (settle()) {
      conn.checkoutFailed();
      emitError(e);
    }
  }

  @Override
  public void onComplete() {}

  /** Whether the acquire has answered or timed out; set once. */
  private volatile boolean settled;

  private @Nullable Timeout timer;

  /** How long this checkout may wait, once it has to. */
  private @Nullable Duration limit;

  /** Settles the acquire; returns whether this call did (and so owns the outcome). */
  private boolean settle() {
    synchronized (this) {
      if (settled) {
        return false;
      }
      settled = true;
      Timeout t = timer;
      if (t != null) {
        t.cancel();
      }
      return true;
    }
  }

  /**
   * No connection was free at once: the checkout fails with {@code PoolTimeoutException} if none
   * comes within the engine's limit. (A free connection is handed over while the acquire is
   * subscribed, so the common checkout starts no timer.)
   */
  private void limitWait() {
    Duration l = conn.engine().acquireLimit();
    if (l == null) {
      return;
    }
    limit = l;
    Timeout t = WaitTimer.after(l, this);
    synchronized (this) {
      if (settled) {
        t.cancel(); // it arrived meanwhile
      } else {
        timer = t;
      }
    }
  }

  /** The wait reached its limit (on the timer's thread: the caller hears of it on another). */
  @Override
  public void run(Timeout t) {
    if (!settle()) {
      return;
    }
    Subscription a = acquiring;
    if (a != null) {
      a.cancel(); // a connection arriving later goes back to the pool
    }
    conn.checkoutFailed();
    Duration l = limit;
    Schedulers.parallel()
        .schedule(() -> emitError(conn.engine().poolTimeout(l != null ? l : Duration.ZERO)));
  }

  private static void giveBack(io.r2dbc.spi.Connection r) {
    Mono.from(r.close()).onErrorResume(e -> Mono.empty()).subscribe();
  }

  /** The pool handed out a driver connection: keep it, or give it back if closed meanwhile. */
  private void arrived(io.r2dbc.spi.Connection r) {
    if (!conn.adopt(r)) {
      Mono.from(r.close()).onErrorResume(e -> Mono.empty()).subscribe();
      emitError(
          new ResourceClosedException(
              "This connection was closed while it started; its driver "
                  + "connection went back to the pool."));
      return;
    }
    Engine engine = conn.engine();
    engine.fireCheckout(conn);
    Mono<Void> prepare = engine.checkoutWork(conn);
    if (prepare == null) {
      emitValue(conn);
      return;
    }
    // Listeners' IO on checkout runs before the caller gets the connection; a failure closes it
    // (the driver connection goes back) and fails the checkout.
    preparing = true;
    prepare.subscribe(
        null,
        e -> {
          preparing = false;
          closeQuietly();
          emitError(e);
        },
        () -> {
          boolean abandoned;
          synchronized (conn) {
            preparing = false;
            abandoned = abandonedWhilePreparing;
          }
          if (abandoned) {
            closeQuietly();
            return;
          }
          emitValue(conn);
        });
  }

  /** The caller stopped waiting. */
  @Override
  void waiterLeft() {
    boolean close;
    synchronized (conn) {
      close = !conn.hasDriverConnection() && !conn.isClosed();
      if (preparing) {
        abandonedWhilePreparing = true; // closed when the listeners' work ends
      }
    }
    if (close) {
      conn.close().subscribe();
    }
  }

  private void closeQuietly() {
    conn.close().onErrorResume(x -> Mono.empty()).subscribe();
  }
}
