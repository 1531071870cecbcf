package dev.athanor.engine;

import dev.athanor.error.InvalidRequestException;
import dev.athanor.error.ResourceClosedException;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * How a connection is checked out of its engine's pool, once: the pool's acquire, the checkout
 * listeners (their IO included), and the hand-over to the caller. The checkout runs to its end even
 * when the caller stops waiting, so that a driver connection arriving for nobody goes back to the
 * pool rather than being lost in flight. State changes are made under the connection's lock, the
 * same one {@link Connection#close()} takes.
 */
final class ConnectionCheckout {
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
      Sinks.One<Connection> out = Sinks.one();
      conn.engine()
          .acquire()
          .subscribe(
              r -> arrived(r, out),
              e -> {
                conn.checkoutFailed();
                out.tryEmitError(e);
              });
      // A caller that gives up before the driver connection arrives closes the connection: the
      // driver connection goes back to the pool when it comes.
      return out.asMono().doOnCancel(this::abandoned);
    });
  }

  /** The pool handed out a driver connection: keep it, or give it back if closed meanwhile. */
  private void arrived(io.r2dbc.spi.Connection r, Sinks.One<Connection> out) {
    if (!conn.adopt(r)) {
      Mono.from(r.close()).onErrorResume(e -> Mono.empty()).subscribe();
      out.tryEmitError(
          new ResourceClosedException(
              "This connection was closed while it started; its driver "
                  + "connection went back to the pool."));
      return;
    }
    Engine engine = conn.engine();
    engine.fireCheckout(conn);
    Mono<Void> prepare = engine.checkoutWork(conn);
    if (prepare == null) {
      out.tryEmitValue(conn);
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
          out.tryEmitError(e);
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
          out.tryEmitValue(conn);
        });
  }

  private void abandoned() {
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
