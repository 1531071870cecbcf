package dev.athanor.java;

import dev.athanor.engine.Connection;
import dev.athanor.engine.Inspector;
import dev.athanor.engine.SyncConnection;
import dev.athanor.engine.internal.CoreFaces;
import dev.athanor.result.Result;
import dev.athanor.result.ScalarResult;
import dev.athanor.sql.Executable;
import dev.athanor.sql.ExecutionOptions;
import dev.athanor.sql.MetaData;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The Java face of a {@link Connection}. The first statement begins a transaction; {@link
 * #commit()} ends it; {@link #close()} rolls back the rest and returns the connection.
 */
public final class AsyncConnection {
  private final Connection core;

  private AsyncConnection(Connection core) {
    this.core = core;
  }

  /** Returns the Java face of a core connection; the same one always gives the same face. */
  public static AsyncConnection of(Connection core) {
    return CoreFaces.of(core, AsyncConnection.class, () -> new AsyncConnection(core));
  }

  /** Returns the reactive core connection. */
  public Connection core() {
    return core;
  }

  /**
   * Runs a statement and returns its buffered result.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<Result> execute(Executable statement) {
    return core.execute(statement).toFuture();
  }

  /**
   * Runs a statement with named parameters.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<Result> execute(Executable statement, Map<String, ?> parameters) {
    return core.execute(statement, parameters).toFuture();
  }

  /**
   * Runs a statement once per parameter set (executemany).
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<Result> execute(
      Executable statement, List<? extends Map<String, ?>> parameterSets) {
    return core.execute(statement, parameterSets).toFuture();
  }

  /**
   * Runs a statement with execution options for this call.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<Result> execute(
      Executable statement, Map<String, ?> parameters, ExecutionOptions options) {
    return core.execute(statement, List.of(parameters), options).toFuture();
  }

  /**
   * Runs a statement once per parameter set (executemany) with execution options for this call.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<Result> execute(
      Executable statement,
      List<? extends Map<String, ?>> parameterSets,
      @Nullable ExecutionOptions options) {
    return core.execute(statement, parameterSets, options).toFuture();
  }

  /**
   * Runs SQL in the driver's form with positional {@code $1, $2} parameters.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<Result> execDriverSql(String sql, @Nullable Object... parameters) {
    return core.execDriverSql(sql, parameters).toFuture();
  }

  /**
   * Runs driver-form SQL once per positional parameter list (executemany); empty runs nothing.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<Result> execDriverSql(String sql, List<? extends List<?>> parameterLists) {
    return core.execDriverSql(sql, parameterLists).toFuture();
  }

  /**
   * Returns the first column of the first row, or {@code null}.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<@Nullable Object> scalar(Executable statement) {
    return core.scalar(statement).toFuture();
  }

  /**
   * Returns the first column of the first row, or {@code null}.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<@Nullable Object> scalar(Executable statement, Map<String, ?> parameters) {
    return core.scalar(statement, parameters).toFuture();
  }

  /**
   * Runs a statement and returns a view of its first column.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public <T> CompletionStage<ScalarResult<T>> scalars(Executable statement) {
    return core.<T>scalars(statement).toFuture();
  }

  /**
   * Runs a statement with parameters and returns a view of its first column.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public <T> CompletionStage<ScalarResult<T>> scalars(
      Executable statement, Map<String, ?> parameters) {
    return core.<T>scalars(statement, parameters).toFuture();
  }

  /**
   * Runs a statement with a server-side cursor; see {@link Connection#stream}.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<AsyncResult> stream(Executable statement) {
    return Futures.owned(core.stream(statement).map(AsyncResult::new), r -> r.close());
  }

  /**
   * Streams a statement with parameters.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<AsyncResult> stream(Executable statement, Map<String, ?> parameters) {
    return Futures.owned(core.stream(statement, parameters).map(AsyncResult::new), r -> r.close());
  }

  /**
   * Streams a statement with parameters and execution options (e.g. {@code yieldPer}).
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<AsyncResult> stream(
      Executable statement, Map<String, ?> parameters, ExecutionOptions options) {
    return Futures.owned(
        core.stream(statement, parameters, options).map(AsyncResult::new), r -> r.close());
  }

  /**
   * Streams a statement into {@code work} and closes the stream when {@code work}'s stage ends,
   * however it ends (completion, failure, cancellation of the returned future).
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public <T> CompletionStage<@Nullable T> stream(
      Executable statement,
      Map<String, ?> parameters,
      Function<AsyncResult, ? extends CompletionStage<T>> work) {
    return stream(statement, parameters, null, work);
  }

  /**
   * Streams a statement with execution options into {@code work}; see {@link #stream}.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public <T> CompletionStage<@Nullable T> stream(
      Executable statement,
      Map<String, ?> parameters,
      @Nullable ExecutionOptions options,
      Function<AsyncResult, ? extends CompletionStage<T>> work) {
    return core.<T>stream(
            statement,
            parameters,
            options,
            r -> Mono.fromCompletionStage(() -> work.apply(new AsyncResult(r))))
        .toFuture();
  }

  /**
   * Streams a statement and hands out its first column.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public <T> CompletionStage<AsyncScalarResult<T>> streamScalars(Executable statement) {
    return Futures.owned(
        core.<T>streamScalars(statement).map(AsyncScalarResult::new), r -> r.close());
  }

  /**
   * Streams a statement with parameters and hands out its first column.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public <T> CompletionStage<AsyncScalarResult<T>> streamScalars(
      Executable statement, Map<String, ?> parameters) {
    return Futures.owned(
        core.<T>streamScalars(statement, parameters).map(AsyncScalarResult::new), r -> r.close());
  }

  /**
   * Begins the outermost transaction explicitly.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<AsyncTransaction> begin() {
    return core.begin().map(AsyncTransaction::of).toFuture();
  }

  /**
   * Begins a SAVEPOINT (and the outermost transaction, if none).
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<AsyncTransaction> beginNested() {
    return core.beginNested().map(AsyncTransaction::of).toFuture();
  }

  /**
   * Runs {@code work} in a transaction begun here: commits when its stage completes, rolls back
   * when it fails or the returned future is cancelled.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public <T> CompletionStage<@Nullable T> begin(
      Function<AsyncTransaction, ? extends CompletionStage<T>> work) {
    return core.<T>begin(t -> Mono.fromCompletionStage(() -> work.apply(AsyncTransaction.of(t))))
        .toFuture();
  }

  /**
   * Runs {@code work} in a SAVEPOINT: released when its stage completes, rolled back to when it
   * fails or the returned future is cancelled; the outer transaction goes on either way.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public <T> CompletionStage<@Nullable T> beginNested(
      Function<AsyncTransaction, ? extends CompletionStage<T>> work) {
    return core.<T>beginNested(
            t -> Mono.fromCompletionStage(() -> work.apply(AsyncTransaction.of(t))))
        .toFuture();
  }

  /**
   * Commits the outermost transaction, if any.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<@Nullable Void> commit() {
    return core.commit().toFuture();
  }

  /**
   * Rolls back the outermost transaction, if any.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<@Nullable Void> rollback() {
    return core.rollback().toFuture();
  }

  /**
   * Checks out a connection made by {@link AsyncEngine#newConnection()}; completes with this
   * object. Fails if it was started before or closed. Cancelling the stage abandons the checkout;
   * {@link #close()} gives back a driver connection that arrives afterwards.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<AsyncConnection> start() {
    return core.start().map(AsyncConnection::of).toFuture();
  }

  /**
   * Rolls back what was not committed and returns the connection to the pool.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<@Nullable Void> close() {
    return core.close().toFuture();
  }

  /**
   * Asks the server for the isolation level in force now (the current transaction's, else the
   * session's); does not begin a transaction.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<dev.athanor.sql.IsolationLevel> getIsolationLevel() {
    return core.getIsolationLevel().toFuture();
  }

  /** Returns the isolation level new transactions of this connection get. */
  public dev.athanor.sql.IsolationLevel getDefaultIsolationLevel() {
    return core.getDefaultIsolationLevel();
  }

  /** Returns the listeners of this connection alone; they are dropped when it closes. */
  public dev.athanor.engine.EngineEvents events() {
    return core.events();
  }

  /** Returns the engine this connection came from. */
  public AsyncEngine engine() {
    return AsyncEngine.of(core.engine());
  }

  /** Returns the dialect of this connection's engine. */
  public dev.athanor.sql.Dialect dialect() {
    return core.dialect();
  }

  /**
   * Discards the driver connection instead of returning it; closes this connection.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<@Nullable Void> invalidate() {
    return core.invalidate().toFuture();
  }

  /** Returns the outermost transaction in progress, or {@code null}. */
  public @Nullable AsyncTransaction getTransaction() {
    var t = core.getTransaction();
    return t == null ? null : AsyncTransaction.of(t);
  }

  /** Returns the innermost savepoint in progress, or {@code null}. */
  public @Nullable AsyncTransaction getNestedTransaction() {
    var t = core.getNestedTransaction();
    return t == null ? null : AsyncTransaction.of(t);
  }

  /** Returns whether a transaction is in progress. */
  public boolean inTransaction() {
    return core.inTransaction();
  }

  /** Returns whether a savepoint is in progress. */
  public boolean inNestedTransaction() {
    return core.inNestedTransaction();
  }

  /** Returns whether the connection was closed. */
  public boolean isClosed() {
    return core.isClosed();
  }

  /** Returns whether the driver connection was discarded. */
  public boolean isInvalidated() {
    return core.isInvalidated();
  }

  /** Returns a map for the program's own data about this connection. */
  public Map<String, Object> info() {
    return core.info();
  }

  /** Sets execution options for what follows; returns this connection. */
  public AsyncConnection executionOptions(ExecutionOptions options) {
    core.executionOptions(options);
    return this;
  }

  /** Returns the execution options in force. */
  public ExecutionOptions getExecutionOptions() {
    return core.getExecutionOptions();
  }

  /** Returns the driver (R2DBC) connection. */
  public io.r2dbc.spi.Connection getRawConnection() {
    return core.getRawConnection();
  }

  /**
   * Runs blocking code on a virtual thread with a {@link SyncConnection} over this same connection
   * and transaction.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public <T> CompletionStage<@Nullable T> runSync(Function<SyncConnection, @Nullable T> fn) {
    return core.runSync(fn).toFuture();
  }

  /**
   * Creates every missing table of {@code metadata}.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<@Nullable Void> createAll(MetaData metadata) {
    return metadata.createAll(core).toFuture();
  }

  /**
   * Drops every existing table of {@code metadata}.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<@Nullable Void> dropAll(MetaData metadata) {
    return metadata.dropAll(core).toFuture();
  }

  /** Returns an inspector of the database's schema over this connection. */
  public AsyncInspector inspector() {
    return new AsyncInspector(Inspector.of(core));
  }

  @Override
  public String toString() {
    return "AsyncConnection(" + core.engine().url() + ")";
  }
}
