package dev.athanor.engine;

import dev.athanor.engine.internal.RowReader;
import dev.athanor.error.DisconnectException;
import dev.athanor.result.Result;
import dev.athanor.sql.CompiledStatement;
import dev.athanor.sql.ExecutionOptions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * One run of a planned statement: executes the plan's driver statements one after another, reads
 * every result's rows (or update counts) in order, and hands the buffered {@link Result} to its
 * subscriber; a failure is translated (see {@link StatementRunner#failed}). With a BEGIN sent
 * alongside (the first statement of a transaction), the outcome waits for both, and a failure of
 * either is the outcome: a disconnect first, else the first to arrive.
 *
 * <p>This is {@code zipDelayError(begin, defer(execute).concatMap(read).collectList())} with its
 * error handling, as one subscriber per run instead of a dozen operator objects: every Core
 * statement and every ORM load pays for it.
 */
final class StatementRun extends Mono<Result> {
  private final StatementRunner runner;
  private final StatementPlan plan;
  private final ExecutionOptions opts;

  /** Sends the transaction's pending BEGIN alongside; {@code null} when none is pending. */
  private final @Nullable Supplier<Mono<Void>> sendBegin;

  /** The pending BEGIN's SQL, restored when the statement runs again after a stale plan. */
  private final @Nullable String begin;

  /** The transaction the BEGIN opens; a stale plan is retried only while it is still active. */
  private final @Nullable Transaction transaction;

  /** Whether a stale plan met here may run the statement once more in a fresh transaction. */
  private final boolean retryStalePlan;

  /** The outcome of a run that ended without a result (not one of a statement's own runs). */
  private static final Object EMPTY = new Object();

  StatementRun(StatementRunner runner, StatementPlan plan, ExecutionOptions opts) {
    this(runner, plan, opts, null, null, false);
  }

  StatementRun(
      StatementRunner runner,
      StatementPlan plan,
      ExecutionOptions opts,
      @Nullable String begin,
      @Nullable Supplier<Mono<Void>> sendBegin,
      boolean retryStalePlan) {
    this.runner = runner;
    this.plan = plan;
    this.opts = opts;
    this.begin = begin;
    this.sendBegin = sendBegin;
    this.transaction = sendBegin == null ? null : runner.connection().getTransaction();
    this.retryStalePlan = retryStalePlan;
  }

  @Override
  public void subscribe(CoreSubscriber<? super Result> actual) {
    new Execution(actual).start();
  }

  /** The statement again, in a fresh transaction, after a stale plan failed its first run. */
  private @Nullable Mono<Result> retry(Throwable e) {
    Transaction t = transaction;
    Supplier<Mono<Void>> send = sendBegin;
    String sql = begin;
    Connection conn = runner.connection();
    if (!retryStalePlan
        || send == null
        || sql == null
        || t == null
        || !ConnectionErrors.isStalePlan(e)
        || conn.getTransaction() != t
        || !t.isActive()) {
      return null;
    }
    conn.echo("ROLLBACK (stale cached plan; running the statement again)", null);
    return Mono.from(conn.raw().rollbackTransaction())
        .then(
            Mono.defer(() -> {
              conn.control().restorePendingBegin(sql);
              runner.transactionBegins();
              return new StatementRun(runner, plan, opts, sql, send, false);
            }));
  }

  /** One subscription: the subscriber to the driver's results and the caller's subscription. */
  private final class Execution implements CoreSubscriber<io.r2dbc.spi.Result>, Subscription {
    private final CoreSubscriber<? super Result> actual;
    private final ExecuteContext ctx;
    private final RowReader reader;
    private final boolean select;
    private final boolean filterSegments;
    private final Rows rows = new Rows();
    private final List<Object> items = new ArrayList<>();
    private @Nullable RunStatements statements;
    // The statement to execute next, made as soon as the one before it was sent.
    private io.r2dbc.spi.@Nullable Statement nextStatement;

    // Guarded by this.
    private @Nullable Subscription results;
    private @Nullable Subscription rowsUpstream;
    private @Nullable Subscription beginUpstream;

    /** The oldest result not read yet, and those after it. */
    private io.r2dbc.spi.@Nullable Result pending;

    private @Nullable ArrayDeque<io.r2dbc.spi.Result> waiting;
    private boolean reading;

    /** Whether the last statement executed has sent all its results (none executed yet: true). */
    private boolean resultsDone = true;

    private int wip;
    private boolean failing;
    private boolean statementDone;
    private boolean beginPending;
    private @Nullable Result result;
    private @Nullable Throwable error;

    /** The outcome handed to the caller: a {@link Result} or a {@code Throwable}. */
    private @Nullable Object outcome;

    private boolean requested;
    private boolean delivered;
    private boolean cancelled;

    Execution(CoreSubscriber<? super Result> actual) {
      this.actual = actual;
      Connection conn = runner.connection();
      CompiledStatement c = plan.compiled();
      this.ctx = new ExecuteContext(conn, plan.statement(), c.sql(), plan.sets(), opts);
      // An executemany INSERT's pages are other statements: their rows are read without sharing.
      this.reader =
          new RowReader(
              plan.statement().resultColumns(), plan.manyValues() == null ? plan.cached() : null);
      this.select = c.kind() == CompiledStatement.Kind.SELECT;
      // r2dbc-postgresql's map() honours filter(); r2dbc-h2's map() reads its rows past it.
      this.filterSegments = conn.dialect().isPostgres();
      this.beginPending = sendBegin != null;
    }

    void start() {
      actual.onSubscribe(this);
      synchronized (this) {
        if (cancelled) {
          return; // cancelled on subscription: nothing was sent
        }
      }
      Supplier<Mono<Void>> send = sendBegin;
      if (send != null) {
        // First on the wire: the driver answers in order.
        Mono<Void> b;
        try {
          b = send.get();
        } catch (Throwable e) {
          b = Mono.error(e);
        }
        b.subscribe(new BeginWait());
      }
      try {
        Connection conn = runner.connection();
        conn.fire(EngineListener::beforeExecute, ctx);
        conn.echo(echoText(), plan.sets());
        RunStatements all = plan.statements(conn.raw());
        statements = all;
        nextStatement = all.next();
      } catch (Throwable e) {
        fail(e);
        return;
      }
      drain();
    }

    private String echoText() {
      String sql = plan.compiled().sql();
      StatementPlan.ManyValues many = plan.manyValues();
      if (many == null) {
        return sql;
      }
      return sql
          + (plan.statement() instanceof dev.athanor.sql.Update
              ? " [updatemanyvalues: "
              : " [insertmanyvalues: ")
          + plan.sets().size()
          + " rows, "
          + many.pageRows()
          + " per statement]";
    }

    /**
     * Does the next step that can be done: read the next result that arrived, execute the next
     * driver statement once the last one's results are read, or end the run. Steps that finish at
     * once (H2 answers on the calling thread) loop here rather than nest.
     */
    private void drain() {
      synchronized (this) {
        if (wip++ != 0) {
          return;
        }
      }
      int missed = 1;
      for (; ; ) {
        step();
        synchronized (this) {
          wip -= missed;
          missed = wip;
        }
        if (missed == 0) {
          return;
        }
      }
    }

    private void step() {
      io.r2dbc.spi.Result r = null;
      boolean execute = false;
      synchronized (this) {
        if (failing || cancelled || statementDone || reading) {
          return;
        }
        if (pending != null) {
          r = pending;
          pending = waiting == null ? null : waiting.poll();
          reading = true;
        } else if (resultsDone) {
          execute = nextStatement != null;
          if (execute) {
            resultsDone = false;
          }
        } else {
          return;
        }
      }
      if (r != null) {
        read(r);
      } else if (execute) {
        executeNext();
      } else {
        finish();
      }
    }

    private void executeNext() {
      Publisher<? extends io.r2dbc.spi.Result> p;
      RunStatements all = java.util.Objects.requireNonNull(statements);
      try {
        p = java.util.Objects.requireNonNull(nextStatement).execute();
        nextStatement = null;
      } catch (Throwable e) {
        fail(e);
        return;
      }
      p.subscribe(this);
      if (all.hasNext()) {
        // Made while the database runs the statement just sent.
        try {
          nextStatement = all.next();
        } catch (Throwable e) {
          fail(e);
        }
      }
    }

    // ---- the driver's results of one statement ----

    @Override
    public void onSubscribe(Subscription s) {
      boolean stop;
      synchronized (this) {
        stop = cancelled || failing;
        if (!stop) {
          results = s;
        }
      }
      if (stop) {
        s.cancel();
      } else {
        s.request(Long.MAX_VALUE);
      }
    }

    @Override
    public void onNext(io.r2dbc.spi.Result r) {
      synchronized (this) {
        if (failing || cancelled) {
          return;
        }
        // Read in order: a result waits for the ones before it.
        if (pending == null) {
          pending = r;
        } else {
          ArrayDeque<io.r2dbc.spi.Result> w = waiting;
          if (w == null) {
            w = new ArrayDeque<>();
            waiting = w;
          }
          w.add(r);
        }
      }
      drain();
    }

    @Override
    public void onError(Throwable e) {
      fail(e);
    }

    @Override
    public void onComplete() {
      synchronized (this) {
        resultsDone = true;
        results = null;
      }
      drain();
    }

    @SuppressWarnings("unchecked")
    private void read(io.r2dbc.spi.Result r) {
      Publisher<Object> p;
      try {
        if (select) {
          p = (Publisher<Object>) (Publisher<?>) r.map(reader::read);
        } else if (filterSegments) {
          // Counts and notices are taken as they pass; rows and errors go on to map(), which
          // reads a row without the Mono and concatMap step per segment that flatMap() costs.
          p = (Publisher<Object>) (Publisher<?>) r.filter(this::rowOrError).map(reader::read);
        } else {
          p = r.flatMap((Function<io.r2dbc.spi.Result.Segment, Publisher<Object>>) segments());
        }
      } catch (Throwable e) {
        fail(e);
        return;
      }
      p.subscribe(rows);
    }

    /**
     * Whether a segment goes on to {@code map()}: a row, or an error it raises. An update count is
     * added to the run's items here, and a notice is logged and announced, in the segments' order
     * (the predicate runs in the result's {@code onNext}, before the next row is read).
     */
    private boolean rowOrError(io.r2dbc.spi.Result.Segment seg) {
      if (seg instanceof io.r2dbc.spi.Result.RowSegment) {
        return true;
      }
      if (seg instanceof io.r2dbc.spi.Result.UpdateCount uc) {
        items.add(uc.value());
        return false;
      }
      if (seg instanceof io.r2dbc.spi.Result.Message m) {
        if (Notices.isNotice(m)) {
          announce(runner.connection(), m);
          return false;
        }
        return m.exception() != null;
      }
      return false;
    }

    /** Logs a server notice and tells the connection's listeners. */
    private static void announce(Connection conn, io.r2dbc.spi.Result.Message m) {
      Notices.log(conn, m);
      String text = m.message();
      String state = m.sqlState();
      conn.fire(l -> l.onNotice(conn, text, state));
    }

    private Function<io.r2dbc.spi.Result.Segment, Publisher<Object>> segments() {
      Connection conn = runner.connection();
      return seg -> {
        if (seg instanceof io.r2dbc.spi.Result.RowSegment rs) {
          return Mono.just(reader.read(rs.row(), rs.row().getMetadata()));
        }
        if (seg instanceof io.r2dbc.spi.Result.UpdateCount uc) {
          return Mono.just(uc.value());
        }
        if (seg instanceof io.r2dbc.spi.Result.Message m) {
          if (Notices.isNotice(m)) {
            announce(conn, m);
            return Mono.empty();
          }
          if (m.exception() != null) {
            return Mono.error(m.exception());
          }
        }
        return Mono.empty();
      };
    }

    /** One result has been read: the next one is read, or the next statement runs. */
    private void resultRead() {
      synchronized (this) {
        rowsUpstream = null;
        reading = false;
      }
      drain();
    }

    /** Every statement has been read: the listeners hear of it, then the outcome is known. */
    private void finish() {
      Result r;
      try {
        r = runner.executed(ctx, plan.result(reader, items));
      } catch (Throwable e) {
        fail(e);
        return;
      }
      statementEnded(r, null);
    }

    /** The statement failed: the rest of its work stops, and the error is translated. */
    private void fail(Throwable e) {
      Subscription up;
      Subscription rowsUp;
      synchronized (this) {
        if (failing || statementDone) {
          Operators.onErrorDropped(e, actual.currentContext());
          return;
        }
        failing = true;
        up = results;
        rowsUp = rowsUpstream;
        results = null;
        rowsUpstream = null;
      }
      if (up != null) {
        up.cancel();
      }
      if (rowsUp != null) {
        rowsUp.cancel();
      }
      Mono<Result> translated;
      try {
        translated = runner.failed(e, ctx, plan);
      } catch (Throwable t) {
        translated = Mono.error(t);
      }
      translated.subscribe(new Failure(e));
    }

    private void statementEnded(@Nullable Result r, @Nullable Throwable e) {
      boolean ready;
      synchronized (this) {
        statementDone = true;
        result = r;
        if (e != null) {
          noteError(e);
        }
        ready = !beginPending;
      }
      if (ready) {
        complete();
      }
    }

    private void beginEnded(@Nullable Throwable e) {
      boolean ready;
      synchronized (this) {
        beginPending = false;
        beginUpstream = null;
        if (e != null) {
          noteError(e);
        }
        ready = statementDone;
      }
      if (ready) {
        complete();
      }
    }

    /** Keeps the first error to arrive, unless a later one says the connection was lost. */
    private void noteError(Throwable e) {
      Throwable first = error;
      if (first == null
          || (!(first instanceof DisconnectException) && e instanceof DisconnectException)) {
        error = e;
      }
    }

    /** Both the statement and the BEGIN (if any) have ended. */
    private void complete() {
      Throwable e;
      Result r;
      synchronized (this) {
        e = error;
        r = result;
      }
      if (e != null) {
        Mono<Result> again = retry(e);
        if (again != null) {
          again.subscribe(new Retried());
          return;
        }
        settle(e);
      } else {
        settle(r);
      }
    }

    private void settle(@Nullable Object o) {
      synchronized (this) {
        outcome = o;
      }
      deliver();
    }

    private void deliver() {
      Object o;
      synchronized (this) {
        o = outcome;
        if (o == null || !requested || delivered || cancelled) {
          return;
        }
        delivered = true;
      }
      if (o instanceof Throwable t) {
        actual.onError(t);
      } else if (o == EMPTY) {
        actual.onComplete();
      } else {
        actual.onNext((Result) o);
        actual.onComplete();
      }
    }

    // ---- the caller's subscription ----

    @Override
    public void request(long n) {
      if (!Operators.validate(n)) {
        return;
      }
      synchronized (this) {
        requested = true;
      }
      deliver();
    }

    @Override
    public void cancel() {
      Subscription up;
      Subscription rowsUp;
      Subscription beginUp;
      synchronized (this) {
        if (cancelled || delivered) {
          return;
        }
        cancelled = true;
        up = results;
        rowsUp = rowsUpstream;
        beginUp = beginUpstream;
        results = null;
        rowsUpstream = null;
        beginUpstream = null;
      }
      if (up != null) {
        up.cancel();
      }
      if (rowsUp != null) {
        rowsUp.cancel();
      }
      if (beginUp != null) {
        beginUp.cancel();
      }
    }

    @Override
    public Context currentContext() {
      return actual.currentContext();
    }

    /** Reads one result's rows or update counts into the run's list. */
    private final class Rows implements CoreSubscriber<Object> {
      @Override
      public void onSubscribe(Subscription s) {
        boolean stop;
        synchronized (Execution.this) {
          stop = cancelled || failing;
          if (!stop) {
            rowsUpstream = s;
          }
        }
        if (stop) {
          s.cancel();
        } else {
          s.request(Long.MAX_VALUE);
        }
      }

      @Override
      public void onNext(Object item) {
        items.add(item);
      }

      @Override
      public void onError(Throwable e) {
        fail(e);
      }

      @Override
      public void onComplete() {
        resultRead();
      }

      @Override
      public Context currentContext() {
        return actual.currentContext();
      }
    }

    /** Waits for the BEGIN sent alongside. */
    private final class BeginWait implements CoreSubscriber<Void> {
      private boolean ended;

      @Override
      public void onSubscribe(Subscription s) {
        boolean stop;
        synchronized (Execution.this) {
          stop = cancelled;
          if (!stop) {
            beginUpstream = s;
          }
        }
        if (stop) {
          s.cancel();
        } else {
          s.request(Long.MAX_VALUE);
        }
      }

      @Override
      public void onNext(Void v) {}

      @Override
      public void onError(Throwable e) {
        if (!ended) {
          ended = true;
          beginEnded(e);
        }
      }

      @Override
      public void onComplete() {
        if (!ended) {
          ended = true;
          beginEnded(null);
        }
      }

      @Override
      public Context currentContext() {
        return actual.currentContext();
      }
    }

    /** Waits for a failure's translation, which ends in the error the caller sees. */
    private final class Failure implements CoreSubscriber<Result> {
      private final Throwable original;

      Failure(Throwable original) {
        this.original = original;
      }

      @Override
      public void onSubscribe(Subscription s) {
        s.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(Result r) {}

      @Override
      public void onError(Throwable e) {
        statementEnded(null, e);
      }

      @Override
      public void onComplete() {
        statementEnded(null, original); // a translation always ends in an error; keep the cause
      }

      @Override
      public Context currentContext() {
        return actual.currentContext();
      }
    }

    /** Hands the caller the outcome of the statement's second run. */
    private final class Retried implements CoreSubscriber<Result> {
      private @Nullable Result value;

      @Override
      public void onSubscribe(Subscription s) {
        s.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(Result r) {
        value = r;
      }

      @Override
      public void onError(Throwable e) {
        settle(e);
      }

      @Override
      public void onComplete() {
        Result r = value;
        settle(r == null ? EMPTY : r);
      }

      @Override
      public Context currentContext() {
        return actual.currentContext();
      }
    }
  }
}
