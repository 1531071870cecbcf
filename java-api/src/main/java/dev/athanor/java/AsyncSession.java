package dev.athanor.java;

import dev.athanor.result.Result;
import dev.athanor.result.ScalarResult;
import dev.athanor.session.IdentityKey;
import dev.athanor.session.InstanceState;
import dev.athanor.session.Session;
import dev.athanor.session.internal.ListenerCalls;
import dev.athanor.sql.Executable;
import dev.athanor.sql.ExecutionOptions;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The Java face of a {@link Session} (SQLAlchemy's {@code AsyncSession}): an identity map and a
 * unit of work over one engine. Adding, expiring and inspecting objects are plain calls; what may
 * reach the database returns a {@link CompletionStage}. Reading a field never does IO.
 *
 * <pre>{@code
 * AsyncSession session = AsyncSession.of(engine);
 * session.add(new User("sandy"));
 * session.commit()
 *     .thenCompose(v -> session.get(User.class, 1L))
 *     .thenCompose(u -> session.close());
 * }</pre>
 */
public final class AsyncSession {
  private final Session core;

  /**
   * Whether this face is the one a listener was given: its calls belong to the running operation.
   */
  private final boolean forListener;

  private AsyncSession(Session core, boolean forListener) {
    this.core = core;
    this.forListener = forListener;
  }

  /**
   * Returns the face a listener is given: the calls made through it belong to the operation that
   * fired the event (they pass the session's one-caller guard), while the same calls through any
   * other face are refused until the operation ends.
   */
  static AsyncSession forListener(Session core) {
    return new AsyncSession(core, true);
  }

  /** Turns a core operation into this face's stage. */
  private <T> CompletableFuture<T> stage(Mono<T> operation) {
    return (forListener ? ListenerCalls.onBehalfOf(core, operation) : operation).toFuture();
  }

  /** Makes a session over an engine with SQLAlchemy's defaults (expire on commit, autoflush). */
  public static AsyncSession of(AsyncEngine engine) {
    return of(new Session(engine.core()));
  }

  /** Makes a session over an engine with the given settings. */
  public static AsyncSession of(AsyncEngine engine, boolean expireOnCommit, boolean autoflush) {
    return of(new Session(engine.core(), expireOnCommit, autoflush));
  }

  /** Returns the face of a core session; the same session always gives the same face. */
  public static AsyncSession of(Session core) {
    return dev.athanor.engine.internal.CoreFaces.of(
        core, AsyncSession.class, () -> new AsyncSession(core, false));
  }

  /** Returns the reactive core session. */
  public Session core() {
    return core;
  }

  /** Two faces of one core session are equal (the session's own and the one a listener gets). */
  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof AsyncSession face && face.core == core;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(core);
  }

  /** Adds an object: inserted at the next flush (or attached again if detached). */
  public void add(Object entity) {
    core.add(entity);
  }

  /** Adds every object. */
  public void addAll(Collection<?> entities) {
    core.addAll(entities);
  }

  /**
   * Marks an object for deletion at the next flush.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<@Nullable Void> delete(Object entity) {
    return stage(core.delete(entity));
  }

  /**
   * Writes every pending change; a failure rolls back and leaves the objects as they were.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<@Nullable Void> flush() {
    return stage(core.flush());
  }

  /**
   * Flushes and commits; with expireOnCommit, every object is then expired.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Cancelled during the flush, the flush is undone
   * as a failed one is (the session asks for {@link #rollback} once it has begun writing).
   * Cancelled once the flush is done, the commit runs to its end without the caller (the
   * transaction commits, the objects are expired), and the session's next asynchronous call waits
   * for that end.
   */
  public CompletionStage<@Nullable Void> commit() {
    return stage(core.commit());
  }

  /**
   * Rolls back: objects added in the transaction leave the session, deleted ones come back.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}; the rollback runs to its end without the caller,
   * and the session's next asynchronous call waits for that end.
   */
  public CompletionStage<@Nullable Void> rollback() {
    return stage(core.rollback());
  }

  /**
   * Rolls back what was not committed, detaches every object, returns the connection. Fails with
   * {@code InvalidRequestException} while another caller's operation on this session runs
   * (concurrent use): close after it.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<@Nullable Void> close() {
    return stage(core.close());
  }

  /**
   * Returns the object with this primary key ({@code null} if none), without SQL when loaded.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public <E> CompletionStage<@Nullable E> get(Class<E> type, Object primaryKey) {
    // An object the session holds needs no IO: answered without a Mono.
    E held = core.getLoaded(type, primaryKey);
    return held != null
        ? java.util.concurrent.CompletableFuture.completedFuture(held)
        : stage(core.get(type, primaryKey));
  }

  /**
   * Returns the object with this primary key when the session holds it loaded and not expired, else
   * {@code null}: what {@link #get} answers without SQL, as a plain call.
   */
  public <E> @Nullable E getLoaded(Class<E> type, Object primaryKey) {
    return core.getLoaded(type, primaryKey);
  }

  /**
   * Returns the object with this primary key, with execution options ({@code populateExisting}).
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public <E> CompletionStage<@Nullable E> get(
      Class<E> type, Object primaryKey, @Nullable ExecutionOptions options) {
    return stage(core.get(type, primaryKey, options));
  }

  /**
   * Returns the object with this primary key, failing with {@code NoResultFoundException}.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public <E> CompletionStage<E> getOne(Class<E> type, Object primaryKey) {
    return stage(core.getOne(type, primaryKey));
  }

  /**
   * Runs a statement; classes a SELECT selects come back as objects.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<Result> execute(Executable statement) {
    return stage(core.execute(statement));
  }

  /**
   * Runs a statement with parameters.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<Result> execute(Executable statement, Map<String, ?> parameters) {
    return stage(core.execute(statement, parameters));
  }

  /**
   * Runs a statement with parameters and execution options.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<Result> execute(
      Executable statement, Map<String, ?> parameters, @Nullable ExecutionOptions options) {
    return stage(core.execute(statement, parameters, options));
  }

  /**
   * Runs a statement and returns a view of its first column (objects, for {@code select(X)}).
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public <T> CompletionStage<ScalarResult<T>> scalars(Executable statement) {
    return stage(core.<T>scalars(statement));
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
    return stage(core.<T>scalars(statement, parameters));
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
    return stage(core.scalar(statement));
  }

  /**
   * Returns the first column of the first row of a statement with parameters, or {@code null}.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<@Nullable Object> scalar(Executable statement, Map<String, ?> parameters) {
    return stage(core.scalar(statement, parameters));
  }

  /**
   * Streams a statement in the session's transaction; selected classes come back as objects.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<AsyncResult> stream(Executable statement) {
    return stage(core.stream(statement).map(AsyncResult::new));
  }

  /**
   * Streams a statement with parameters and execution options ({@code yieldPer}).
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<AsyncResult> stream(
      Executable statement, Map<String, ?> parameters, @Nullable ExecutionOptions options) {
    return stage(core.stream(statement, parameters, options).map(AsyncResult::new));
  }

  /**
   * Streams a statement and hands out its first column (objects, for {@code select(X)}).
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public <T> CompletionStage<AsyncScalarResult<T>> streamScalars(Executable statement) {
    return stage(core.<T>streamScalars(statement).map(AsyncScalarResult::new));
  }

  /**
   * Streams a statement with parameters and options and hands out its first column.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public <T> CompletionStage<AsyncScalarResult<T>> streamScalars(
      Executable statement, Map<String, ?> parameters, @Nullable ExecutionOptions options) {
    return stage(core.<T>streamScalars(statement, parameters, options).map(AsyncScalarResult::new));
  }

  /**
   * Copies an object from outside the session onto the session's object of the same identity
   * (found, loaded, or a new pending copy) and returns that object.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public <E> CompletionStage<E> merge(E entity) {
    return stage(core.merge(entity));
  }

  /**
   * Merges; with {@code load} false nothing is read and the session's copy starts clean.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public <E> CompletionStage<E> merge(E entity, boolean load) {
    return stage(core.merge(entity, load));
  }

  /**
   * Reloads an object's columns in place.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<@Nullable Void> refresh(Object entity) {
    return stage(core.refresh(entity));
  }

  /**
   * Returns the session's connection, in its transaction.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<AsyncConnection> connection() {
    return stage(core.connection().map(AsyncConnection::of));
  }

  /**
   * Runs {@code work} as one transaction of this session: commits when its stage completes, rolls
   * back when it fails or the returned stage is cancelled.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public <T> CompletionStage<@Nullable T> begin(
      java.util.function.Function<AsyncSession, ? extends CompletionStage<T>> work) {
    return stage(
        core.<T>begin(
            s -> reactor.core.publisher.Mono.fromCompletionStage(() -> work.apply(this))));
  }

  /**
   * Begins the session's transaction explicitly (without a scope); end it with {@link #commit()} or
   * {@link #rollback()}. Without this call the session begins one when it first needs a connection.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<AsyncSessionTransaction> begin() {
    return stage(core.begin().map(AsyncSessionTransaction::of));
  }

  /**
   * Flushes, then begins a SAVEPOINT: rolling it back undoes only what was written since it began,
   * in the database and in the session's objects.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<AsyncSessionTransaction> beginNested() {
    return stage(core.beginNested().map(AsyncSessionTransaction::of));
  }

  /**
   * Runs {@code work} in a SAVEPOINT: released (after a flush) when its stage completes, rolled
   * back when it fails or is cancelled; the outer transaction goes on either way.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public <T> CompletionStage<@Nullable T> beginNested(
      java.util.function.Function<AsyncSessionTransaction, ? extends CompletionStage<T>> work) {
    return stage(
        core.<T>beginNested(t ->
            reactor.core.publisher.Mono.fromCompletionStage(
                () -> work.apply(AsyncSessionTransaction.of(t)))));
  }

  /**
   * Runs blocking {@code fn} on a virtual thread with a {@link dev.athanor.session.SyncSession}
   * over this session: the same identity map, unit of work and transaction (SQLAlchemy's {@code
   * run_sync}); completes with what it returns.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public <T> CompletionStage<@Nullable T> runSync(
      java.util.function.Function<dev.athanor.session.SyncSession, @Nullable T> fn) {
    return stage(core.runSync(fn));
  }

  /**
   * Closes the session, discarding its connection instead of returning it to the pool.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<@Nullable Void> invalidate() {
    return stage(core.invalidate());
  }

  /**
   * Returns the open session an object belongs to, or {@code null} (SQLAlchemy's {@code
   * async_object_session}).
   */
  public static @Nullable AsyncSession objectSession(Object entity) {
    Session s = Session.objectSession(entity);
    return s == null ? null : of(s);
  }

  /**
   * Closes every session not closed yet (SQLAlchemy's {@code close_all_sessions}), for shutdown and
   * tests.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public static CompletionStage<@Nullable Void> closeAll() {
    return Session.closeAll().toFuture();
  }

  /**
   * Adds a listener of this session's events (beside its factory's and the global ones); the
   * returned registration removes it.
   */
  public dev.athanor.session.Registration listen(AsyncSessionListener listener) {
    return core.events().add(AsyncSessionListener.core(listener));
  }

  /**
   * Adds a listener written as blocking code: each event runs on a virtual thread with a {@link
   * dev.athanor.session.SyncSession} over this session, and the session waits for it.
   */
  public dev.athanor.session.Registration listenBlocking(
      dev.athanor.session.BlockingSessionListener listener) {
    return core.events().add(dev.athanor.session.SessionEvents.blocking(listener));
  }

  /** Returns the session's outermost transaction in progress, or {@code null}. */
  public @Nullable AsyncSessionTransaction getTransaction() {
    var t = core.getTransaction();
    return t == null ? null : AsyncSessionTransaction.of(t);
  }

  /** Returns the innermost savepoint in progress, or {@code null}. */
  public @Nullable AsyncSessionTransaction getNestedTransaction() {
    var t = core.getNestedTransaction();
    return t == null ? null : AsyncSessionTransaction.of(t);
  }

  /** Returns whether a savepoint begun with {@link #beginNested()} is in progress. */
  public boolean inNestedTransaction() {
    return core.inNestedTransaction();
  }

  /**
   * Reloads the named attributes of an object in place, discarding changes made to them; the other
   * attributes keep their values and changes.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<@Nullable Void> refresh(
      Object entity, @Nullable Collection<String> attributes) {
    return stage(core.refresh(entity, attributes));
  }

  /**
   * Returns an object's relationship ({@code "books"}), loading it first with one SELECT when the
   * session has not loaded it: a loaded one comes back as it is, with no IO. {@code refresh(entity,
   * List.of("books"))} loads it again instead. Fails with {@link
   * dev.athanor.error.MappingException} if the class has no relationship of that name, and {@link
   * dev.athanor.error.InvalidRequestException} if the object is not persistent in this session.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. A load already sent to the database is not cut
   * short: it runs to its end on the connection (the relationship is then loaded), the next
   * operation waits behind it, and whatever was not committed is rolled back before the connection
   * is used again or goes back to the pool.
   */
  public <T> CompletionStage<List<T>> fetch(Object entity, String relationship) {
    return stage(core.<T>fetch(entity, relationship));
  }

  /** Marks an object expired (no IO): reloaded in place by the next get, query or refresh. */
  public void expire(Object entity) {
    core.expire(entity);
  }

  /**
   * Marks the named attributes of an object expired (no IO): the next get, query or refresh
   * rewrites those alone.
   */
  public void expire(Object entity, Collection<String> attributes) {
    core.expire(entity, attributes);
  }

  /** Marks every object expired. */
  public void expireAll() {
    core.expireAll();
  }

  /** Removes an object from the session. */
  public void expunge(Object entity) {
    core.expunge(entity);
  }

  /** Removes every object from the session. */
  public void expungeAll() {
    core.expungeAll();
  }

  /** Returns whether an object has changes a flush would write. */
  public boolean isModified(Object entity) {
    return core.isModified(entity);
  }

  /** Returns what the session knows of an object. */
  public InstanceState inspect(Object entity) {
    return core.inspect(entity);
  }

  /** Returns the identity key of an object in the session, or {@code null}. */
  public @Nullable IdentityKey identityKey(Object entity) {
    return core.identityKey(entity);
  }

  /**
   * Returns the identity key of the row of {@code type} with this primary key (a value, or a {@code
   * List} for a composite key), as the identity map holds it.
   */
  public IdentityKey identityKey(Class<?> type, Object primaryKey) {
    return core.identityKey(type, primaryKey);
  }

  /**
   * Returns the identity key of the row of {@code type} with this primary key and identity token
   * ({@code Session.IDENTITY_TOKEN}).
   */
  public IdentityKey identityKey(Class<?> type, Object primaryKey, @Nullable Object token) {
    return core.identityKey(type, primaryKey, token);
  }

  /** Returns whether the object is in this session. */
  public boolean contains(Object entity) {
    return core.contains(entity);
  }

  /** Runs {@code body} with autoflush off. */
  public <T> T noAutoflush(Supplier<T> body) {
    return core.noAutoflush(body);
  }

  /** Returns whether a transaction is in progress. */
  public boolean inTransaction() {
    return core.inTransaction();
  }

  /** Returns whether the session is open and not waiting for a rollback. */
  public boolean isActive() {
    return core.isActive();
  }

  /** Returns whether the session was closed. */
  public boolean isClosed() {
    return core.isClosed();
  }

  /** Returns the objects added and not yet inserted. */
  public Set<Object> getNew() {
    return core.getNew();
  }

  /** Returns the persistent objects with changes to write. */
  public Set<Object> getDirty() {
    return core.getDirty();
  }

  /** Returns the objects marked for deletion. */
  public Set<Object> getDeleted() {
    return core.getDeleted();
  }

  /** Returns the program's own data about this session. */
  public Map<String, Object> info() {
    return core.info();
  }

  /** Returns the engine the session runs on. */
  public AsyncEngine getBind() {
    return AsyncEngine.of(core.getBind());
  }

  /**
   * Returns the engine a statement about a mapped class would run on (SQLAlchemy's {@code
   * get_bind(mapper, clause)}): the router's choice, else the bind of the class or of its table,
   * else the default engine; see {@link AsyncSessionMaker#binds} and {@link
   * AsyncSessionMaker#router}.
   */
  public AsyncEngine getBind(@Nullable Class<?> mapped, @Nullable Executable statement) {
    return AsyncEngine.of(core.getBind(mapped, statement));
  }

  @Override
  public String toString() {
    return core.toString();
  }
}
