package dev.athanor.engine;

import dev.athanor.engine.internal.ErrorTranslator;
import dev.athanor.engine.internal.LoopHandoff;
import dev.athanor.engine.internal.RowReader;
import dev.athanor.error.InvalidRequestException;
import dev.athanor.result.Result;
import dev.athanor.result.Row;
import dev.athanor.result.StreamingResult;
import dev.athanor.result.internal.PullCursor;
import dev.athanor.sql.CompiledStatement;
import dev.athanor.sql.ExecutionOptions;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs one connection's planned statements on its driver: binds a {@link StatementPlan}, reads what
 * comes back into a {@link Result} or opens a {@link StreamingResult} over a cursor, fires the
 * execute events and translates errors. Holds the one stream that may be open.
 */
final class StatementRunner {
  private final Connection conn;

  /** The stream whose statement is still running on the driver: the connection is busy. */
  private volatile @Nullable PullCursor stream;

  /** The last stream handed out; closed with the connection or the transaction. */
  private volatile @Nullable PullCursor lastCursor;

  /** Whether a statement of the current transaction has failed (reset when one begins). */
  private volatile boolean earlierFailure;

  StatementRunner(Connection conn) {
    this.conn = conn;
  }

  /** Returns whether a stream's statement is still running (the connection is busy). */
  boolean streaming() {
    return stream != null;
  }

  /** Forgets earlier failures: a transaction begins. */
  void transactionBegins() {
    earlierFailure = false;
  }

  /** Runs a planned statement and buffers what it returns; see {@link StatementRun}. */
  Mono<Result> run(StatementPlan p, ExecutionOptions opts) {
    return new StatementRun(this, p, opts);
  }

  Connection connection() {
    return conn;
  }

  /**
   * The error a failed statement ends with: translated to Athanor's types with its SQL and
   * parameters, heard by the listeners, the driver connection closed when it was lost.
   */
  Mono<Result> failed(Throwable e, ExecuteContext ctx, StatementPlan p) {
    if (e instanceof java.util.concurrent.CancellationException) {
      // Thrown by a listener: the statement was cut at a point nobody knows, so the driver
      // connection is discarded rather than trusted again.
      return conn.closeUnderlying().then(Mono.error(e));
    }
    if (e instanceof InvalidRequestException) {
      return Mono.error(e);
    }
    boolean firstFailure = !earlierFailure;
    if (conn.getTransaction() != null) {
      earlierFailure = true;
    }
    String sql = p.compiled().sql();
    return conn.<Result>fail(e, sql, conn.paramsText(p.sets()))
        .onErrorMap(
            t -> firstFailure && ConnectionErrors.isStalePlan(t),
            ConnectionErrors::withStalePlanHint)
        .doOnError(t -> {
          ctx.error(t);
          conn.fire(EngineListener::onError, ctx);
        });
  }

  /** The statement ran: its listeners hear of it with its row count. */
  Result executed(ExecuteContext ctx, Result r) {
    ctx.rowcount(r.rowcount());
    conn.fire(EngineListener::afterExecute, ctx);
    return r;
  }

  Mono<StreamingResult> openStream(StatementPlan p, ExecutionOptions opts) {
    int yieldPer = opts.effectiveYieldPer();
    CompiledStatement c = p.compiled();
    ExecuteContext ctx = new ExecuteContext(conn, p.statement(), c.sql(), p.sets(), opts);
    RowReader reader = new RowReader(p.statement().resultColumns(), p.cached());
    return Mono.defer(() -> {
      conn.fire(EngineListener::beforeExecute, ctx);
      conn.echo(c.sql() + " [streaming, " + yieldPer + " rows per fetch]", p.sets());
      io.r2dbc.spi.Statement st = p.bind(conn.raw());
      st.fetchSize(yieldPer);
      String params = conn.paramsText(p.sets());
      // The driver signals a statement's error on its results while rows that arrived before it
      // may still wait for the reader's demand: at the boundary, those rows are handed out before
      // the error ends the stream (concatMap's immediate mode dropped them with the result).
      Flux<Row> rows =
          Flux.from(st.execute()).concatMapDelayError(r -> r.map(reader::read), false, 1);
      PullCursor cursor =
          new PullCursor(
              yieldPer,
              () -> stream = null,
              streamErrors(ctx, c.sql(), params),
              LoopHandoff.INSTANCE);
      stream = cursor;
      lastCursor = cursor;
      return cursor
          .open(rows)
          .then(
              Mono.fromSupplier(() -> {
                conn.fire(EngineListener::afterExecute, ctx);
                return dev.athanor.result.internal.Streams.open(cursor, reader.keys(), yieldPer);
              }))
          .doOnCancel(cursor::close)
          .onErrorResume(e -> {
            cursor.close();
            return conn.isInvalidated()
                ? conn.closeUnderlying().then(Mono.error(e))
                : Mono.error(e);
          });
    });
  }

  /**
   * What a stream's reader sees of its statement's error: translated once as a statement's would be
   * (a lost connection closed at once, {@code onError} fired; a listener that throws fails the
   * stream with its exception, the statement's beside it).
   */
  private java.util.function.UnaryOperator<Throwable> streamErrors(
      ExecuteContext ctx, String sql, String params) {
    return e -> {
      if (e instanceof InvalidRequestException) {
        return e;
      }
      boolean disconnect = ErrorTranslator.isDisconnect(e);
      if (disconnect) {
        // As for a statement: close the physical connection now, so that the pool discards it
        // rather than hand it out again and trust its check.
        conn.closeUnderlying().subscribe(v -> {}, x -> {});
      }
      Throwable t = ErrorTranslator.translate(e, sql, params, disconnect);
      ctx.error(t);
      try {
        conn.fire(EngineListener::onError, ctx);
      } catch (RuntimeException | Error x) {
        x.addSuppressed(t);
        return x;
      }
      return t;
    };
  }

  /**
   * Runs the transaction's first statement with its deferred BEGIN ({@code begin}, sent by {@code
   * sendBegin}): the driver sends both at once and answers in order, saving a round trip. Neither
   * is cancelled if the other fails. A stale cached plan met here (the table changed under the
   * statement; the driver re-prepared it inside the failed transaction) ends that transaction, in
   * which nothing else ran, and runs the statement again in a fresh one.
   */
  Mono<Result> runWithBegin(
      StatementPlan p,
      ExecutionOptions opts,
      String begin,
      java.util.function.Supplier<Mono<Void>> sendBegin) {
    return new StatementRun(this, p, opts, begin, sendBegin, true);
  }

  /** Closes the open stream and the last one handed out. */
  void closeStream() {
    PullCursor s = stream;
    if (s != null) {
      s.close();
      stream = null;
    }
    PullCursor last = lastCursor;
    if (last != null) {
      last.close();
      lastCursor = null;
    }
  }
}
