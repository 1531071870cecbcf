package dev.athanor.result.internal;

import dev.athanor.error.ResourceClosedException;
import dev.athanor.result.Row;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Turns a publisher of rows into pull-style fetches: each {@link #fetch(int)} asks upstream for
 * only as many rows as it needs (plus a small prefetch), so a server-side cursor is read at the
 * speed of the consumer and memory stays bounded by the prefetch.
 *
 * <p>One fetch may be pending at a time; the result views call it sequentially.
 *
 * <p>A {@link CoreSubscriber}, so that Reactor hands it each row directly: a plain {@code
 * Subscriber} is wrapped in one that serializes every signal with two atomic operations per row.
 */
public final class PullCursor implements CoreSubscriber<Row>, RowSource {
  private final int prefetch;
  private final ArrayDeque<Row> buffered = new ArrayDeque<>();
  private final Runnable onTerminate;
  private final UnaryOperator<Throwable> errors;
  private final Executor handoff;

  private @Nullable Subscription subscription;
  private long outstanding;
  private boolean done;
  private boolean closed;
  private @Nullable Throwable error;

  private @Nullable MonoSink<List<Row>> pendingSink;
  private @Nullable List<Row> pendingRows;
  private int pendingWant;
  private @Nullable MonoSink<Boolean> readySink;
  private boolean ready;
  private boolean terminated;

  /**
   * @param prefetch how many rows to ask for beyond what a fetch needs (at least 1)
   * @param onTerminate runs once when the cursor ends, fails or is closed
   */
  public PullCursor(int prefetch, Runnable onTerminate) {
    this(prefetch, onTerminate, UnaryOperator.identity());
  }

  /**
   * @param prefetch how many rows to ask for beyond what a fetch needs (at least 1)
   * @param onTerminate runs once when the cursor ends, fails or is closed
   * @param errors turns the rows' error into the one readers see; called once, before the cursor
   *     ends (here rather than as an operator on the rows, which every row would pass through)
   */
  public PullCursor(int prefetch, Runnable onTerminate, UnaryOperator<Throwable> errors) {
    this(prefetch, onTerminate, errors, Runnable::run);
  }

  /**
   * @param prefetch how many rows to ask for beyond what a fetch needs (at least 1)
   * @param onTerminate runs once when the cursor ends, fails or is closed
   * @param errors turns the rows' error into the one readers see (see above)
   * @param handoff runs the hand-over of a fetch that the arrival of its last row completed: the
   *     reader's work on the fetched rows runs in it. An executor that runs it once the driver has
   *     read what else arrived lets the driver ask the server for the next rows first, so that the
   *     server produces them while the reader works; {@code Runnable::run} hands over at once.
   */
  public PullCursor(
      int prefetch, Runnable onTerminate, UnaryOperator<Throwable> errors, Executor handoff) {
    this.prefetch = Math.max(1, prefetch);
    this.onTerminate = onTerminate;
    this.errors = errors;
    this.handoff = handoff;
  }

  /**
   * Subscribes to the rows and completes when the first row (or the end, or an error) arrived, so
   * that a stream is only handed out once the statement is known to have started.
   */
  public Mono<Boolean> open(Publisher<Row> rows) {
    return Mono.<Boolean>create(
            sink -> {
              synchronized (this) {
                readySink = sink;
              }
              rows.subscribe(this);
            })
        .doOnCancel(this::close);
  }

  @Override
  public void onSubscribe(Subscription s) {
    boolean drain;
    synchronized (this) {
      drain = closed;
      subscription = s;
      if (!drain) {
        outstanding = prefetch;
      }
    }
    s.request(drain ? Long.MAX_VALUE : prefetch);
  }

  @Override
  public void onNext(Row row) {
    MonoSink<List<Row>> complete = null;
    List<Row> rows = null;
    boolean firstRow;
    synchronized (this) {
      outstanding--;
      if (closed) {
        return;
      }
      if (pendingSink != null && pendingRows != null) {
        pendingRows.add(row);
        if (pendingRows.size() >= pendingWant) {
          complete = pendingSink;
          rows = pendingRows;
          pendingSink = null;
          pendingRows = null;
        }
      } else {
        buffered.add(row);
      }
      // Checked here, under the lock already held: once ready, later rows need not take it again.
      firstRow = !ready;
    }
    if (firstRow) {
      signalReady();
    }
    if (complete != null) {
      MonoSink<List<Row>> sink = complete;
      List<Row> fetched = rows;
      handoff.execute(() -> sink.success(fetched));
    }
  }

  @Override
  public void onError(Throwable signalled) {
    Throwable failure = oneError(signalled);
    Throwable t;
    try {
      t = errors.apply(failure);
    } catch (RuntimeException | Error e) {
      // A translation that fails (a listener that throws) must not leave the cursor running: its
      // failure is the error readers see, the statement's beside it.
      e.addSuppressed(failure);
      t = e;
    }
    // The statement ended: the connection is free before any reader can see the end (a reader
    // that saw it first could run its next statement while the connection still looked busy).
    terminate();
    synchronized (this) {
      error = t;
      done = true;
    }
    finishPending();
  }

  @Override
  public void onComplete() {
    terminate(); // before the end is visible to a reader; see onError
    synchronized (this) {
      done = true;
    }
    finishPending();
  }

  /**
   * The error itself, or for Reactor's composite of several (one error that reached the rows by two
   * paths, say) its first, with the others that are not that one suppressed in it.
   */
  private static Throwable oneError(Throwable t) {
    if (!Exceptions.isMultiple(t)) {
      return t;
    }
    List<Throwable> all = Exceptions.unwrapMultiple(t);
    if (all.isEmpty()) {
      return t;
    }
    Throwable first = all.get(0);
    for (int i = 1; i < all.size(); i++) {
      if (all.get(i) != first) {
        first.addSuppressed(all.get(i));
      }
    }
    return first;
  }

  private void signalReady() {
    MonoSink<Boolean> r;
    synchronized (this) {
      if (ready) {
        return;
      }
      ready = true;
      r = readySink;
      readySink = null;
    }
    if (r != null) {
      Throwable e;
      synchronized (this) {
        e = buffered.isEmpty() && pendingRows == null ? error : null;
      }
      if (e != null) {
        r.error(e);
      } else {
        r.success(true);
      }
    }
  }

  private void finishPending() {
    MonoSink<List<Row>> sink;
    List<Row> rows;
    Throwable e;
    synchronized (this) {
      sink = pendingSink;
      rows = pendingRows;
      e = error;
      pendingSink = null;
      pendingRows = null;
    }
    signalReady();
    if (sink != null && rows != null) {
      if (e != null && rows.isEmpty()) {
        sink.error(e);
      } else {
        sink.success(rows);
      }
    }
  }

  private void terminate() {
    synchronized (this) {
      if (terminated) {
        return;
      }
      terminated = true;
    }
    onTerminate.run();
  }

  /**
   * Fetches up to {@code n} rows; fewer only at the end of the rows. An error from the database is
   * raised once the rows before it were handed out.
   */
  @Override
  public Mono<List<Row>> fetch(int n) {
    return Mono.create(sink -> {
      long toRequest = 0;
      // Sized for the whole fetch (up to one prefetch): a growing list copied itself ~log(n) times.
      List<Row> out = new ArrayList<>(Math.min(n, Math.max(256, prefetch)));
      Subscription s;
      Throwable e = null;
      boolean completeNow;
      synchronized (this) {
        if (closed) {
          sink.error(
              new ResourceClosedException(
                  "This streaming result is closed; run the statement again to read it."));
          return;
        }
        while (out.size() < n && !buffered.isEmpty()) {
          out.add(buffered.poll());
        }
        completeNow = out.size() >= n || done;
        if (completeNow) {
          e = out.isEmpty() ? error : null;
          if (!done) {
            // Served from the buffer: keep one prefetch on its way, so that the driver goes on
            // reading while the reader works on this fetch, rather than stopping until the next.
            long need = (long) prefetch - buffered.size();
            toRequest = Math.max(0, need - outstanding);
            outstanding += toRequest;
          }
        } else {
          pendingSink = sink;
          pendingRows = out;
          pendingWant = n;
          long need = (long) (n - out.size()) + prefetch - buffered.size();
          toRequest = Math.max(0, need - outstanding);
          outstanding += toRequest;
        }
        s = subscription;
      }
      if (completeNow) {
        if (toRequest > 0 && s != null) {
          s.request(toRequest);
        }
        if (e != null) {
          sink.error(e);
        } else {
          sink.success(out);
        }
        return;
      }
      if (toRequest > 0 && s != null) {
        s.request(toRequest);
      }
    });
  }

  /**
   * Returns whether every row was read (or the cursor was closed). A cursor whose rows ended in an
   * error is not exhausted: the next fetch raises that error, so a reader never takes a stream cut
   * short (a lost connection, a failed statement) for a complete one.
   */
  @Override
  public synchronized boolean isExhausted() {
    return closed || (done && buffered.isEmpty() && error == null);
  }

  /** Returns whether the cursor was closed, or its rows ended (in an error too) and were read. */
  @Override
  public synchronized boolean isFinished() {
    return closed || (done && buffered.isEmpty());
  }

  /** Returns whether {@link #close()} was called. */
  public synchronized boolean isClosed() {
    return closed;
  }

  /**
   * Stops reading: drops buffered rows and lets the rest of the statement run out with unbounded
   * demand, discarding rows, instead of cancelling it. Cancelling an R2DBC PostgreSQL statement
   * mid-stream can leave a dead conversation on the connection (r2dbc-postgresql#536); the driver
   * keeps statements in order, so the connection can take the next one at once. Idempotent.
   */
  @Override
  public void close() {
    Subscription s;
    MonoSink<List<Row>> sink;
    List<Row> rows;
    MonoSink<Boolean> r;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      buffered.clear();
      s = done ? null : subscription;
      sink = pendingSink;
      rows = pendingRows;
      pendingSink = null;
      pendingRows = null;
      r = readySink;
      readySink = null;
    }
    if (s != null) {
      s.request(Long.MAX_VALUE);
    }
    if (sink != null && rows != null) {
      sink.success(rows);
    }
    if (r != null) {
      r.success(false);
    }
    terminate();
  }
}
