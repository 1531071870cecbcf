package dev.athanor.engine;

import dev.athanor.engine.internal.Blocking;
import dev.athanor.engine.internal.CallerFlow;
import dev.athanor.engine.internal.ErrorTranslator;
import dev.athanor.error.InvalidRequestException;
import dev.athanor.error.ResourceClosedException;
import dev.athanor.result.Result;
import dev.athanor.result.ScalarResult;
import dev.athanor.result.StatementOutcome;
import dev.athanor.result.StreamingResult;
import dev.athanor.result.StreamingScalarResult;
import dev.athanor.result.internal.FaceSlot;
import dev.athanor.sql.Dialect;
import dev.athanor.sql.DriverSql;
import dev.athanor.sql.Executable;
import dev.athanor.sql.ExecutionOptions;
import dev.athanor.sql.IsolationLevel;
import dev.athanor.sql.SchemaConnection;
import io.r2dbc.spi.Wrapped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A database connection checked out from an {@link Engine}: runs statements, holds the transaction,
 * streams results. Reactive core of SQLAlchemy's {@code AsyncConnection}.
 *
 * <p>The first statement begins a transaction (autobegin) unless the isolation level is {@code
 * AUTOCOMMIT}; {@link #commit()} ends it, and {@link #close()} rolls back whatever was not
 * committed before the connection goes back to the pool. Use one connection from one flow of
 * control at a time.
 */
public final class Connection implements SchemaConnection {
  private final Engine engine;
  private volatile io.r2dbc.spi.@Nullable Connection raw;
  final FaceSlot faces = new FaceSlot();

  /** Made when first asked for: most connections never use it. */
  private volatile @Nullable Map<String, Object> info;

  private final TransactionStack tx = new TransactionStack();
  private volatile ExecutionOptions options;
  private volatile boolean closed;
  private volatile boolean invalidated;

  private final OperationQueue queue;

  /** Listeners added on this connection only; made when first asked for. */
  private volatile @Nullable EngineEvents own;

  private volatile boolean closing;

  /** Completes when the close that began first has ended; set once. */
  private @Nullable Mono<Void> closed$;

  /** How this connection's driver begins and ends transactions. */
  private final TransactionControl control;

  private final ConnectionEcho echo;
  private final StatementRunner runner;
  private final ConnectionRelease release;
  private final ConnectionCheckout checkout;
  private final ConnectionTransactions txs;

  private static final java.util.concurrent.atomic.AtomicLong IDS =
      new java.util.concurrent.atomic.AtomicLong();
  private final long id = IDS.incrementAndGet();

  Connection(Engine engine) {
    this.engine = engine;
    this.options = engine.getExecutionOptions();
    this.control = TransactionControl.of(this, engine.dialect());
    this.echo = new ConnectionEcho(engine, id);
    this.runner = new StatementRunner(this);
    this.release = new ConnectionRelease(this);
    this.checkout = new ConnectionCheckout(this);
    this.txs = new ConnectionTransactions(this, tx, control, runner);
    this.queue = new OperationQueue(control.scheduler());
  }

  /**
   * Checks this connection out of the engine's pool; completes with this connection. Only for a
   * connection from {@link Engine#newConnection()} ({@link Engine#connect()} returns started ones).
   * Closing the connection while it starts gives the driver connection back as soon as it arrives.
   *
   * @throws InvalidRequestException (in the {@code Mono}) if it was started before
   * @throws dev.athanor.error.ResourceClosedException (in the {@code Mono}) if it was closed
   */
  public Mono<Connection> start() {
    return checkout.start();
  }

  /** Takes the driver connection the pool handed out; false if this was closed meanwhile. */
  synchronized boolean adopt(io.r2dbc.spi.Connection r) {
    if (closed) {
      return false;
    }
    raw = r;
    return true;
  }

  /** The pool refused a connection: this one is closed, with nothing to give back. */
  synchronized void checkoutFailed() {
    closed = true;
    closing = true;
  }

  /** Returns whether the pool has handed this connection its driver connection. */
  boolean hasDriverConnection() {
    return raw != null;
  }

  /** Returns the driver connection, or fails if this connection never started. */
  io.r2dbc.spi.Connection raw() {
    io.r2dbc.spi.Connection r = raw;
    if (r == null) {
      throw ConnectionErrors.notStarted("this operation");
    }
    return r;
  }

  // ---- statements ----

  /** Runs a statement and reads its rows into a buffered {@link Result}. */
  public Mono<Result> execute(Executable statement) {
    return execute(statement, ONE_EMPTY_SET, null);
  }

  /** The parameters of a statement run once with none. */
  private static final List<Map<String, ?>> ONE_EMPTY_SET = List.of(Map.of());

  /** Runs a statement with named parameters. */
  public Mono<Result> execute(Executable statement, Map<String, ?> parameters) {
    return execute(statement, List.of(parameters), null);
  }

  /**
   * Runs a statement once per parameter set (executemany). The driver sends the sets in one batch;
   * the result's {@code rowcount} is the sum. An empty list runs nothing: no statement is sent and
   * the result has no rows and a {@code rowcount} of 0.
   */
  public Mono<Result> execute(Executable statement, List<? extends Map<String, ?>> parameterSets) {
    return execute(statement, parameterSets, null);
  }

  /**
   * Runs a statement with parameter sets and execution options for this call.
   *
   * @throws InvalidRequestException (in the {@code Mono}) if the options ask for streaming: use
   *     {@link #stream} for that
   */
  public Mono<Result> execute(
      Executable statement,
      List<? extends Map<String, ?>> parameterSets,
      @Nullable ExecutionOptions callOptions) {
    return guarded(
        "execute",
        Mono.defer(() -> {
          ExecutionOptions opts = effectiveOptions(statement, callOptions);
          if (opts.streamResults()) {
            return Mono.error(
                new InvalidRequestException(
                    "execute() buffers every row, but streaming was requested (stream_results / "
                        + "yield_per); call stream() or streamScalars() instead."));
          }
          checkUsable("execute");
          if (parameterSets.isEmpty()) {
            // Zero parameter sets, zero executions: never an unasked INSERT ... DEFAULT VALUES.
            return Mono.just(Result.ofOutcome(new StatementOutcome(0, false, null, List.of())));
          }
          StatementPlan p = StatementPlan.prepare(engine, statement, parameterSets);
          return txs.run(p, opts);
        }));
  }

  /** The connection's options, then the statement's, then the call's, each over the last. */
  private ExecutionOptions effectiveOptions(
      Executable statement, @Nullable ExecutionOptions callOptions) {
    ExecutionOptions o = options;
    ExecutionOptions own = statement.getExecutionOptions();
    if (own != ExecutionOptions.DEFAULTS) {
      o = o.merge(own);
    }
    return callOptions == null ? o : o.merge(callOptions);
  }

  /** Runs SQL written in the driver's form with positional parameters ({@code $1}, {@code $2}). */
  public Mono<Result> execDriverSql(String sql, @Nullable Object... parameters) {
    Map<String, Object> named = new LinkedHashMap<>();
    for (int i = 0; i < parameters.length; i++) {
      named.put(Integer.toString(i + 1), parameters[i]);
    }
    return execute(new DriverSql(sql, parameters.length), List.of(named), null);
  }

  /** Runs driver-form SQL once per positional parameter list (executemany). */
  public Mono<Result> execDriverSql(String sql, List<? extends List<?>> parameterLists) {
    if (parameterLists.isEmpty()) {
      return execute(new DriverSql(sql, 0), List.of(), null);
    }
    List<Map<String, Object>> sets = new ArrayList<>();
    for (List<?> l : parameterLists) {
      Map<String, Object> named = new LinkedHashMap<>();
      for (int i = 0; i < l.size(); i++) {
        named.put(Integer.toString(i + 1), l.get(i));
      }
      sets.add(named);
    }
    return execute(new DriverSql(sql, parameterLists.get(0).size()), sets, null);
  }

  /** Runs a statement and returns the first column of its first row (empty for none or NULL). */
  public Mono<Object> scalar(Executable statement) {
    return scalar(statement, Map.of());
  }

  /** Runs a statement with parameters and returns the first column of its first row. */
  public Mono<Object> scalar(Executable statement, Map<String, ?> parameters) {
    return execute(statement, parameters).flatMap(r -> Mono.justOrEmpty(r.scalar()));
  }

  /** Runs a statement and returns a view of its first column. */
  public <T> Mono<ScalarResult<T>> scalars(Executable statement) {
    return scalars(statement, Map.of());
  }

  /** Runs a statement with parameters and returns a view of its first column. */
  public <T> Mono<ScalarResult<T>> scalars(Executable statement, Map<String, ?> parameters) {
    return execute(statement, parameters).map(Result::<T>scalars);
  }

  /**
   * Runs a statement with a server-side cursor and returns its rows as a {@link StreamingResult}:
   * rows are fetched {@code yieldPer} at a time (default {@value
   * ExecutionOptions#DEFAULT_YIELD_PER}) as the program reads them. The connection cannot run
   * another statement until the stream is read to its end or closed.
   */
  public Mono<StreamingResult> stream(Executable statement) {
    return stream(statement, Map.of(), null);
  }

  /** Streams a statement with parameters; see {@link #stream(Executable)}. */
  public Mono<StreamingResult> stream(Executable statement, Map<String, ?> parameters) {
    return stream(statement, parameters, null);
  }

  /** Streams a statement with parameters and execution options (e.g. {@code yieldPer}). */
  public Mono<StreamingResult> stream(
      Executable statement, Map<String, ?> parameters, @Nullable ExecutionOptions callOptions) {
    return guarded(
        "stream",
        Mono.defer(() -> {
          ExecutionOptions opts = effectiveOptions(statement, callOptions);
          checkUsable("stream");
          StatementPlan p = StatementPlan.prepare(engine, statement, List.of(parameters));
          return txs.autobegin().then(runner.openStream(p, opts));
        }));
  }

  /**
   * Streams a statement into {@code work} and closes the stream when {@code work} ends, whatever
   * way it ends (completion, error, cancellation); completes with what {@code work} gives.
   */
  public <T> Mono<T> stream(
      Executable statement,
      Map<String, ?> parameters,
      @Nullable ExecutionOptions callOptions,
      Function<StreamingResult, ? extends org.reactivestreams.Publisher<T>> work) {
    return Mono.usingWhen(
        stream(statement, parameters, callOptions),
        r -> Mono.defer(() -> Mono.from(work.apply(r))),
        StreamingResult::close,
        (r, e) -> r.close(),
        StreamingResult::close);
  }

  /** Streams a statement and hands out its first column. */
  public <T> Mono<StreamingScalarResult<T>> streamScalars(Executable statement) {
    return stream(statement).map(StreamingResult::<T>scalars);
  }

  /** Streams a statement with parameters and hands out its first column. */
  public <T> Mono<StreamingScalarResult<T>> streamScalars(
      Executable statement, Map<String, ?> parameters) {
    return stream(statement, parameters).map(StreamingResult::<T>scalars);
  }

  // ---- transactions ----

  /**
   * Begins the outermost transaction explicitly.
   *
   * @throws InvalidRequestException (in the {@code Mono}) if one is already in progress
   */
  public Mono<Transaction> begin() {
    return guarded(
        "begin",
        Mono.defer(() -> {
          checkUsable("begin");
          return txs.begin();
        }));
  }

  /**
   * Begins a nested transaction, a SAVEPOINT; begins the outermost transaction first if there is
   * none. Rolling it back undoes only the work done since it began.
   */
  public Mono<Transaction> beginNested() {
    return guarded(
        "beginNested",
        Mono.defer(() -> {
          checkUsable("beginNested");
          return txs.beginNested();
        }));
  }

  /**
   * Begins the outermost transaction of a transaction block: like {@link #begin()}, but a block
   * that leaves before this answered (its caller was cancelled) leaves no transaction behind, see
   * {@link BlockClaim}. The scope functions call this; a program does not need to.
   */
  public Mono<Transaction> begin(BlockClaim<Transaction> claim) {
    return guarded(
        "begin",
        Mono.defer(() -> {
          checkUsable("begin");
          return txs.claimed(txs.begin(), claim);
        }));
  }

  /**
   * Begins the savepoint of a transaction block: like {@link #beginNested()}, but a block that
   * leaves before this answered leaves no savepoint behind, see {@link BlockClaim}. The scope
   * functions call this; a program does not need to.
   */
  public Mono<Transaction> beginNested(BlockClaim<Transaction> claim) {
    return guarded(
        "beginNested",
        Mono.defer(() -> {
          checkUsable("beginNested");
          return txs.claimed(txs.beginNested(), claim);
        }));
  }

  /**
   * Runs {@code work} in a transaction begun here: commits when it completes, rolls back when it
   * fails or is cancelled. A {@code work} that ended the transaction itself leaves nothing to end,
   * and a block cancelled before its transaction began leaves none behind.
   */
  public <T> Mono<T> begin(Function<Transaction, ? extends org.reactivestreams.Publisher<T>> work) {
    return ConnectionTransactions.scoped(this, c -> begin(c), work);
  }

  /**
   * Runs {@code work} in a SAVEPOINT: released when it completes, rolled back to when it fails or
   * is cancelled; the outer transaction goes on either way. A block cancelled before its savepoint
   * began leaves none behind.
   */
  public <T> Mono<T> beginNested(
      Function<Transaction, ? extends org.reactivestreams.Publisher<T>> work) {
    return ConnectionTransactions.scoped(this, c -> beginNested(c), work);
  }

  /** Commits the outermost transaction, if there is one. */
  public Mono<Void> commit() {
    return endRoot(true);
  }

  /** Rolls back the outermost transaction, if there is one. */
  public Mono<Void> rollback() {
    return endRoot(false);
  }

  /**
   * Ends the outermost transaction in progress when this operation's turn comes, not when it is
   * asked for: behind an abandoned statement whose transaction has not begun yet (it begins when
   * the statement runs), or behind an abandoned rollback, the transaction to end is a later one.
   */
  private Mono<Void> endRoot(boolean commit) {
    return guarded(
        commit ? "commit" : "rollback",
        Mono.defer(() -> {
          Transaction t = tx.root();
          return t == null ? Mono.empty() : txs.finish(t, commit);
        }));
  }

  /** Returns the outermost transaction in progress, or {@code null}. */
  public @Nullable Transaction getTransaction() {
    return tx.root();
  }

  /** Returns the innermost savepoint in progress, or {@code null}. */
  public @Nullable Transaction getNestedTransaction() {
    return tx.innermost();
  }

  /** Returns whether a transaction is in progress. */
  public boolean inTransaction() {
    return tx.root() != null;
  }

  /** Returns whether a savepoint is in progress. */
  public boolean inNestedTransaction() {
    return tx.hasSavepoints();
  }

  Mono<Void> finish(Transaction t, boolean commit) {
    return guarded(commit ? "commit" : "rollback", Mono.defer(() -> txs.finish(t, commit)));
  }

  // ---- lifecycle ----

  /**
   * Rolls back what was not committed and returns the connection to the pool (or closes it, without
   * a pool). Safe to call more than once.
   */
  public Mono<Void> close() {
    return Mono.defer(() -> {
      synchronized (this) {
        if (closed$ != null) {
          return closed$;
        }
        closed = true;
        closing = true;
        if (raw == null) {
          // Never started, or still starting: start() hands back what it gets.
          closed$ = Mono.empty();
          return closed$;
        }
        closed$ = release;
      }
      // Runs to its end whether or not the caller waits: a close cut short by a cancelled caller
      // would keep the driver connection out of the pool for good.
      runner.closeStream();
      release.start(queue.close(CLEANUP_LIMIT));
      return release;
    });
  }

  /** How long close() waits for operations abandoned by their callers before discarding. */
  private static final java.time.Duration CLEANUP_LIMIT = java.time.Duration.ofSeconds(30);

  /**
   * Discards the driver connection: it is closed rather than returned to the pool, and this
   * connection is closed (unlike SQLAlchemy's, it does not reconnect in place: every later
   * operation fails with {@link ResourceClosedException}, which says to get a new connection). Use
   * after an error that leaves the connection in an unknown state; errors that mean the connection
   * was lost do this themselves.
   */
  public Mono<Void> invalidate() {
    return Mono.defer(() -> {
      if (closed) {
        return Mono.empty();
      }
      invalidated = true;
      closing = true;
      return closeUnderlying().then(close());
    });
  }

  Mono<Void> closeUnderlying() {
    invalidated = true;
    io.r2dbc.spi.Connection r = raw;
    return r == null ? Mono.empty() : closeUnderlying(r);
  }

  /** Closes the physical connection under a pooled one, so that the pool discards it. */
  static Mono<Void> closeUnderlying(io.r2dbc.spi.Connection pooled) {
    io.r2dbc.spi.Connection underlying = pooled;
    if (underlying instanceof Wrapped<?> w && w.unwrap() instanceof io.r2dbc.spi.Connection c) {
      underlying = c;
    }
    return Mono.from(underlying.close()).onErrorResume(e -> Mono.empty());
  }

  /** Returns whether {@link #close()} or {@link #invalidate()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /** Returns whether the driver connection was discarded. */
  public boolean isInvalidated() {
    return invalidated;
  }

  // ---- options and access ----

  /** Sets execution options for the statements and transactions that follow; returns this. */
  public Connection executionOptions(ExecutionOptions newOptions) {
    options = options.merge(newOptions);
    return this;
  }

  /** Returns the execution options in force. */
  public ExecutionOptions getExecutionOptions() {
    return options;
  }

  @Nullable IsolationLevel isolation() {
    IsolationLevel l = options.isolationLevel();
    return l != null ? l : engine.options().isolationLevel();
  }

  /**
   * Asks the server for the isolation level in force now: the current transaction's if one is in
   * progress, else the session's ({@code AUTOCOMMIT} when this connection runs without
   * transactions). Does not begin a transaction.
   */
  public Mono<IsolationLevel> getIsolationLevel() {
    return guarded(
        "getIsolationLevel",
        Mono.defer(() -> {
          checkUsable("getIsolationLevel");
          if (isolation() == IsolationLevel.AUTOCOMMIT) {
            return Mono.just(IsolationLevel.AUTOCOMMIT);
          }
          // A deferred BEGIN carries the transaction's level: send it first.
          return txs.sendBegin().then(control.currentIsolation());
        }));
  }

  /**
   * Returns the isolation level new transactions of this connection get: the one set by execution
   * options or the engine, else the database's default, {@code READ_COMMITTED} on both PostgreSQL
   * and H2 (SQLAlchemy's {@code default_isolation_level}).
   */
  public IsolationLevel getDefaultIsolationLevel() {
    IsolationLevel l = isolation();
    return l != null ? l : IsolationLevel.READ_COMMITTED;
  }

  /** Returns the dialect of this connection's engine. */
  public Dialect dialect() {
    return engine.dialect();
  }

  /** Returns the engine this connection came from. */
  public Engine engine() {
    return engine;
  }

  /**
   * Returns the driver (R2DBC) connection, as handed out by the pool.
   *
   * @throws ResourceClosedException once this connection is closed or invalidated: its driver
   *     connection went back to the pool (or was discarded) and must not be used through it
   */
  public io.r2dbc.spi.Connection getRawConnection() {
    if (closed || invalidated) {
      throw new ResourceClosedException(
          "This connection is "
              + (invalidated ? "invalidated" : "closed")
              + ", so its driver connection "
              + (invalidated ? "was discarded" : "went back to the pool")
              + " and is not handed out; get a new connection from the engine.");
    }
    return raw();
  }

  /** Returns a map for the program's own data about this connection. */
  public Map<String, Object> info() {
    Map<String, Object> m = info;
    if (m == null) {
      synchronized (this) {
        m = info;
        if (m == null) {
          m = new ConcurrentHashMap<>();
          info = m;
        }
      }
    }
    return m;
  }

  /**
   * Runs blocking code on a virtual thread with a {@link SyncConnection} over this same connection
   * and transaction; completes with what it returns ({@code null}: empty). The caller's SLF4J MDC
   * and the thread-locals named with {@link RunSyncContext#propagate} are set on that thread for
   * the call.
   */
  public <T> Mono<T> runSync(Function<SyncConnection, @Nullable T> fn) {
    return Mono.defer(() -> {
      // Captured where the caller subscribes: its MDC and the thread-locals it named cross over.
      RunSyncContext.Captured context = RunSyncContext.capture();
      return Mono.fromCallable(() -> context.call(() -> fn.apply(new SyncConnection(this))))
          .subscribeOn(Blocking.scheduler());
    });
  }

  @Override
  public String toString() {
    return "Connection(" + engine.url() + (closed ? ", closed" : "") + ")";
  }

  // ---- running ----

  /**
   * Runs a public operation so that {@link #close()} can wait for it: an operation that starts
   * after close began is refused, and close rolls back only once the ones in flight ended. This
   * keeps a cancelled caller's last statement from slipping past the rollback.
   */
  private <T> Mono<T> guarded(String op, Mono<T> body) {
    return Mono.deferContextual(ctx -> {
      if (raw == null && !closing) {
        return Mono.error(ConnectionErrors.notStarted(op + "()"));
      }
      CallerFlow flow = ctx.getOrDefault(CallerFlow.KEY, null);
      return queue.runNow(op, closedErrors, body, flow != null ? flow : scopeFlow);
    });
  }

  /** The flow of the transaction block whose work runs now, if any (see {@link ScopeFlow}). */
  private volatile @Nullable ScopeFlow scopeFlow;

  /** Sets the flow of a block whose work starts; returns the one before it. */
  @Nullable ScopeFlow scopeFlow(ScopeFlow flow) {
    ScopeFlow before = scopeFlow;
    scopeFlow = flow;
    return before;
  }

  /** A block ends: its flow gives way to {@code back}, unless another flow was set since. */
  void restoreScopeFlow(ScopeFlow flow, @Nullable ScopeFlow back) {
    if (scopeFlow == flow) {
      scopeFlow = back;
    }
  }

  /** The error for an operation asked for once close began (made once, used per operation). */
  private final Function<String, RuntimeException> closedErrors = this::closedError;

  private ResourceClosedException closedError(String op) {
    return new ResourceClosedException(
        "This connection is closed"
            + (invalidated ? " (invalidated)" : "")
            + "; "
            + op
            + "() needs an open one. Get a new connection from the engine.");
  }

  /** Returns the listeners of this connection alone; they are dropped when it closes. */
  public EngineEvents events() {
    EngineEvents e = own;
    if (e == null) {
      synchronized (this) {
        e = own;
        if (e == null) {
          e = EngineEvents.forConnection();
          own = e;
        }
      }
    }
    return e;
  }

  /** Fires an event to the engine's (and the global) listeners, then to this connection's. */
  void fire(java.util.function.Consumer<EngineListener> event) {
    EngineEvents.fire(engine.events(), ownOrNone(), event);
  }

  /**
   * Fires a one-argument event; with a method reference ({@code EngineListener::beforeExecute})
   * nothing is allocated when no listener is registered, which is the hot path.
   */
  <A> void fire(java.util.function.BiConsumer<EngineListener, A> event, A arg) {
    EngineEvents.fire(engine.events(), ownOrNone(), event, arg);
  }

  private EngineEvents ownOrNone() {
    EngineEvents e = own;
    return e != null ? e : EngineEvents.NONE;
  }

  void checkedIn() {
    fire(EngineListener::onCheckin, this);
    EngineEvents e = own;
    if (e != null) {
      e.clear();
    }
  }

  void enterBlock(Transaction t) {
    tx.enterBlock(t);
  }

  void exitBlock(Transaction t) {
    tx.exitBlock(t);
  }

  private void checkUsable(String op) {
    tx.checkBlocks(op);
    if (closed) {
      throw closedError(op);
    }
    if (invalidated) {
      throw ConnectionErrors.invalidatedError(op);
    }
    if (runner.streaming()) {
      throw new InvalidRequestException(
          "This connection is streaming a result; read it to the end or close it before "
              + op
              + "(), or use another connection.");
    }
  }

  Mono<Void> runRaw(String sql) {
    return Mono.defer(() -> {
      echo(sql, null);
      return Flux.from(raw().createStatement(sql).execute())
          .concatMap(io.r2dbc.spi.Result::getRowsUpdated)
          .then()
          .onErrorResume(e -> fail(e, sql, null));
    });
  }

  /** Translates a driver error; a lost connection is invalidated first. */
  <T> Mono<T> fail(Throwable e, @Nullable String sql, @Nullable String params) {
    boolean disconnect = ErrorTranslator.isDisconnect(e);
    Throwable translated = ErrorTranslator.translate(e, sql, params, disconnect);
    if (disconnect) {
      // The transaction stays, inactive on the server: commit() now fails and rollback() ends it,
      // so a program that goes on does not take its lost work for committed.
      return closeUnderlying().then(Mono.error(translated));
    }
    return Mono.error(translated);
  }

  void echo(String sql, @Nullable List<Map<String, @Nullable Object>> sets) {
    echo.echo(sql, sets);
  }

  @Nullable String paramsText(List<Map<String, @Nullable Object>> sets) {
    return echo.paramsText(sets);
  }

  TransactionStack transactions() {
    return tx;
  }

  TransactionControl control() {
    return control;
  }

  StatementRunner runner() {
    return runner;
  }
}
