package dev.athanor.session;

import dev.athanor.engine.BlockClaim;
import dev.athanor.engine.Connection;
import dev.athanor.engine.Engine;
import dev.athanor.error.InvalidRequestException;
import dev.athanor.error.NoResultFoundException;
import dev.athanor.error.ResourceClosedException;
import dev.athanor.result.Result;
import dev.athanor.result.ScalarResult;
import dev.athanor.result.StreamingResult;
import dev.athanor.result.StreamingScalarResult;
import dev.athanor.sql.Executable;
import dev.athanor.sql.ExecutionOptions;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The ORM's unit of work over one engine: an identity map (one object per row), change tracking by
 * comparing each object with what was loaded, and a flush that writes new, changed and deleted
 * objects in one planned sequence of statements. The reactive core of SQLAlchemy's {@code
 * AsyncSession}; the Kotlin and Java faces wrap it.
 *
 * <p>Reading a field never does IO. An expired object keeps its values and is reloaded in place by
 * the next {@link #get}, query or {@link #refresh} that reaches it; {@code expireOnCommit} (on by
 * default) marks every object expired when the transaction commits.
 *
 * <p>A session serves one flow of control at a time: a call while another is running fails with
 * {@link InvalidRequestException}. It may move between threads.
 */
public final class Session {
  static {
    SessionFaceSlots.register();
  }

  final dev.athanor.result.internal.FaceSlot faces = new dev.athanor.result.internal.FaceSlot();

  /** Reload objects a query reaches even when they are loaded and not expired. */
  public static final ExecutionOptions.Key<Boolean> POPULATE_EXISTING =
      ExecutionOptions.key("populateExisting", Boolean.class);

  /**
   * How a bulk {@code update(X)} / {@code delete(X)} keeps the session's objects of {@code X} right
   * ({@link SynchronizeSession#AUTO} by default).
   */
  public static final ExecutionOptions.Key<SynchronizeSession> SYNCHRONIZE_SESSION =
      ExecutionOptions.key("synchronizeSession", SynchronizeSession.class);

  /**
   * For {@link #stream}: let go of the objects of each fetched batch two fetches later (unchanged
   * ones leave the session, detached), so that streaming any number of objects keeps two batches
   * ({@code yieldPer}) in memory. A fetch starts only when the reader asks for more, so the batch
   * being read stays; a reader that queues objects more than a batch behind the stream (an operator
   * with a prefetch) may reach objects already let go. Off by default: a stream's objects stay in
   * the identity map, as a query's do.
   */
  public static final ExecutionOptions.Key<Boolean> RELEASE_STREAMED =
      ExecutionOptions.key("releaseStreamed", Boolean.class);

  /** Flush before this statement ({@code true}, the session's setting by default) or not. */
  public static final ExecutionOptions.Key<Boolean> AUTOFLUSH =
      ExecutionOptions.key("autoflush", Boolean.class);

  /**
   * Runs a statement on this engine, whatever the session's router and binds say: for a read that
   * must see the session's own writes while reads usually go to a follower.
   */
  public static final ExecutionOptions.Key<Engine> BIND =
      ExecutionOptions.key("bind", Engine.class);

  /**
   * The identity token of the objects a query or {@code get} loads (SQLAlchemy's {@code
   * identity_token}): part of their {@link IdentityKey}, so that one session holds rows with the
   * same primary key from several databases (shards) as distinct objects. A {@link BindRouter} sees
   * it in {@link BindRequest#identityToken()} and routes the statement, and the flush routes each
   * object's UPDATE and DELETE with the token it was loaded with. A bulk {@code update(X)} / {@code
   * delete(X)} with a token synchronizes only the objects loaded with it. New objects have none.
   */
  public static final ExecutionOptions.Key<Object> IDENTITY_TOKEN =
      ExecutionOptions.key("identityToken", Object.class);

  private final SessionBinds binds;
  private final boolean expireOnCommit;
  private final boolean autoflush;
  private final Map<String, Object> info = new ConcurrentHashMap<>();

  final UnitOfWork work = new UnitOfWork();
  final SessionEvents events;
  private final SessionFlush flusher = new SessionFlush(this);
  private final SessionQueries queries = new SessionQueries(this);
  private final SessionLoads loads = new SessionLoads(this);

  /** One flow of control at a time; see {@link SessionGuard}. */
  final SessionGuard guard = new SessionGuard(this);

  /** The transaction: its connections, savepoints, and a failed flush's state. */
  final SessionTransactions txs = new SessionTransactions(this);

  private int noAutoflush;
  private boolean closed;

  /**
   * Creates a session over {@code engine}; it checks out a connection when it first needs one.
   *
   * @param expireOnCommit mark every object expired when a transaction commits
   * @param autoflush flush before queries, {@code get} of an object not loaded, and refresh
   */
  public Session(Engine engine, boolean expireOnCommit, boolean autoflush) {
    this(SessionBinds.of(engine), expireOnCommit, autoflush, null);
  }

  Session(
      SessionBinds binds,
      boolean expireOnCommit,
      boolean autoflush,
      @Nullable SessionEvents factoryEvents) {
    this.binds = binds;
    this.expireOnCommit = expireOnCommit;
    this.autoflush = autoflush;
    this.events = new SessionEvents(factoryEvents);
    work.onLoaded =
        obj -> {
          if (!events.isEmpty()) { // checked first: the event is made only when someone listens
            events.fireSync(l -> l.loaded(this, obj));
          }
        };
    this.open = OpenSessions.add(this);
  }

  /** Returns this session's listeners (beside its factory's and the global ones). */
  public SessionEvents events() {
    return events;
  }

  /** This session's place among the open ones, until it closes. */
  private final OpenSessions.Entry open;

  /**
   * Returns the open session an object belongs to, or {@code null} (SQLAlchemy's {@code
   * object_session} / {@code async_object_session}).
   */
  public static @Nullable Session objectSession(Object entity) {
    for (Session s : OpenSessions.all()) {
      if (s.contains(entity)) {
        return s;
      }
    }
    return null;
  }

  /**
   * Closes every session of this JVM not closed yet (SQLAlchemy's {@code close_all_sessions}), for
   * shutdown and tests: each rolls back what it did not commit and returns its connection. A
   * session whose operation still runs is left open, and the {@code Mono} fails with its {@link
   * InvalidRequestException} once the others are closed.
   */
  public static Mono<Void> closeAll() {
    return OpenSessions.closeAll();
  }

  /** Creates a session with SQLAlchemy's defaults: expire on commit, autoflush. */
  public Session(Engine engine) {
    this(engine, true, true);
  }

  // ---- the guard ----

  private <T> Mono<T> op(String name, Supplier<Mono<T>> body) {
    return guard.op(name, body);
  }

  /** {@link #op} for an operation that needs an open session with no flush failure pending. */
  private <T> Mono<T> usable(String name, Supplier<Mono<T>> body) {
    return op(
        name,
        () -> {
          checkOpen(name);
          checkNoPendingRollback();
          return body.get();
        });
  }

  private void checkIdle(String name) {
    guard.checkIdle(name);
    checkOpen(name);
  }

  void checkOpen(String name) {
    if (closed) {
      throw new ResourceClosedException(
          "This session is closed; " + name + "() needs an open one. Make a new session.");
    }
  }

  void checkNoPendingRollback() {
    txs.checkNoPendingRollback();
  }

  // ---- events ----

  /** Fires an event that may do IO; the listeners' own calls to this session pass the guard. */
  Mono<Void> fire(java.util.function.Function<SessionListener, Mono<Void>> event) {
    if (events.isEmpty()) {
      return Mono.empty();
    }
    return guard.listened(events.fire(event));
  }

  /** Tells the listeners that an object was attached, and returns it. */
  <E> E attached(E entity) {
    events.fireSync(l -> l.afterAttach(this, entity));
    return entity;
  }

  // ---- objects in and out ----

  /**
   * Adds an object: a new one is inserted at the next flush; a detached one is attached again.
   *
   * @throws dev.athanor.error.MappingException if its class is not mapped
   */
  public void add(Object entity) {
    checkIdle("add");
    addOne(entity);
    for (Object reached : Cascade.reached(Cascade.Operation.ADD, entity)) {
      addOne(reached);
    }
  }

  private void addOne(Object entity) {
    if (work.add(entity)) {
      attached(entity);
    }
  }

  /** Adds every object; see {@link #add}. */
  public void addAll(Collection<?> entities) {
    checkIdle("add"); // a second caller is refused before the object map is swapped
    work.expectAdded(entities.size());
    for (Object e : entities) {
      add(e);
    }
  }

  /**
   * Marks an object for deletion at the next flush; a pending one is just removed from the session.
   *
   * @throws InvalidRequestException if the object is not in this session
   */
  public Mono<Void> delete(Object entity) {
    return op(
        "delete",
        () -> {
          checkOpen("delete");
          work.cascading(Cascade.Operation.DELETE, entity, work::delete);
          return Mono.empty();
        });
  }

  /** Removes an object from the session; its changes are no longer tracked (it is detached). */
  public void expunge(Object entity) {
    checkIdle("expunge");
    work.cascading(Cascade.Operation.EXPUNGE, entity, work::expunge);
  }

  /** Removes every object from the session. */
  public void expungeAll() {
    checkIdle("expungeAll");
    work.expungeAll();
  }

  /**
   * Marks an object expired: it keeps its field values, and the next {@link #get}, query or {@link
   * #refresh} that reaches it reloads them in place. No IO here.
   */
  public void expire(Object entity) {
    checkIdle("expire");
    work.stateOf(entity, "expire").expire();
  }

  /**
   * Marks some attributes of an object expired: the next {@link #get}, query or {@link #refresh}
   * that reaches it rewrites those alone from the database (a change made to them before now is
   * discarded; the other attributes keep their values and changes). A relationship named is not
   * loaded any more (reading it fails until a loader option or refresh loads it). No IO here.
   *
   * @throws dev.athanor.error.MappingException naming the mapped attributes, for an unknown name
   */
  public void expire(Object entity, Collection<String> attributes) {
    checkIdle("expire");
    work.stateOf(entity, "expire").expire(attributes);
  }

  /** Marks every persistent object expired; see {@link #expire}. */
  public void expireAll() {
    checkIdle("expireAll");
    work.expireAll();
  }

  /** Returns what the session knows of an object (its status, identity, changes). */
  public InstanceState inspect(Object entity) {
    return work.inspect(entity);
  }

  /** Returns whether the object is in this session. */
  public boolean contains(Object entity) {
    return work.states.containsKey(entity);
  }

  /** Returns whether an object in this session has changes a flush would write. */
  public boolean isModified(Object entity) {
    InstanceState s = work.stateOf(entity, "isModified");
    return s.status == InstanceState.Status.PENDING || s.isModified();
  }

  /** Returns the objects added and not yet inserted. */
  public Set<Object> getNew() {
    return UnitOfWork.objects(work.pending);
  }

  /** Returns the persistent objects with changes a flush would write. */
  public Set<Object> getDirty() {
    return UnitOfWork.objects(work.dirty());
  }

  /** Returns the objects marked for deletion and not yet deleted. */
  public Set<Object> getDeleted() {
    return UnitOfWork.objects(work.toDelete);
  }

  /**
   * Returns the identity key of a row of {@code type} with this primary key (a value, or a {@code
   * List} for a composite key), as the identity map holds it (SQLAlchemy's {@code identity_key}).
   *
   * @throws InvalidRequestException if the class is not mapped or the key has the wrong arity
   */
  public IdentityKey identityKey(Class<?> type, Object primaryKey) {
    return identityKey(type, primaryKey, null);
  }

  /**
   * Returns the identity key of a row of {@code type} with this primary key and identity token
   * ({@link #IDENTITY_TOKEN}).
   *
   * @throws InvalidRequestException if the class is not mapped or the key has the wrong arity
   */
  public IdentityKey identityKey(Class<?> type, Object primaryKey, @Nullable Object token) {
    return UnitOfWork.keyOf(Registry.mapperOf(type), primaryKey, token);
  }

  /** Returns the identity key of an object in this session, or {@code null} before it is saved. */
  public @Nullable IdentityKey identityKey(Object entity) {
    InstanceState s = work.states.get(entity);
    return s == null ? null : s.key;
  }

  /** Returns a map for the program's own data about this session. */
  public Map<String, Object> info() {
    return info;
  }

  /** Returns the session's default engine: the one statements no bind or router places go to. */
  public Engine getBind() {
    return binds.defaultEngine;
  }

  /**
   * Returns the engine a statement about a mapped class would run on (SQLAlchemy's {@code
   * get_bind(mapper, clause)}): the router's choice, else the bind of the class or of its table,
   * else the default engine.
   *
   * @param mapped the mapped class, or {@code null} to take it from the statement
   * @param statement the statement, or {@code null}
   * @throws MappingException if {@code mapped} is not a mapped class
   */
  public Engine getBind(@Nullable Class<?> mapped, @Nullable Executable statement) {
    Mapper<?> m = mapped != null ? Registry.mapperOf(mapped) : SessionBinds.mapperOf(statement);
    ExecutionOptions opts =
        statement == null ? ExecutionOptions.DEFAULTS : statement.getExecutionOptions();
    return binds.resolve(new BindRequest(this, m, statement, opts, false));
  }

  /** Returns whether a transaction is in progress (begun, or a connection checked out). */
  public boolean inTransaction() {
    return txs.root() != null;
  }

  /** Returns whether the session can be used: open, and not waiting for a rollback. */
  public boolean isActive() {
    return !closed && !txs.hasFailedFlush();
  }

  /**
   * Runs {@code body} without autoflush (SQLAlchemy's {@code no_autoflush}) and returns what it
   * returns; for a reactive body, see {@link #noAutoflush(Mono)}.
   */
  public <T> T noAutoflush(Supplier<T> body) {
    noAutoflush++;
    try {
      return body.get();
    } finally {
      noAutoflush--;
    }
  }

  /** Runs {@code body} with autoflush off until it completes, fails or is cancelled. */
  public <T> Mono<T> noAutoflush(Mono<T> body) {
    return Mono.defer(() -> {
      noAutoflush++;
      return body.doFinally(s -> noAutoflush--);
    });
  }

  // ---- the connection and the transaction ----

  /**
   * Returns the session's connection to the engine its router or default bind names for a
   * connection without a statement (checking one out and beginning the transaction if none).
   */
  public Mono<Connection> connection() {
    return Mono.defer(() -> {
      checkOpen("connection");
      checkNoPendingRollback();
      return txs.joined(
          binds.resolve(new BindRequest(this, null, null, ExecutionOptions.DEFAULTS, false)));
    });
  }

  /** The session's connection for a statement, on the engine its binds name. */
  Mono<Connection> connectionFor(
      @Nullable Mapper<?> mapper,
      @Nullable Executable statement,
      ExecutionOptions opts,
      boolean flush) {
    return txs.connectionFor(binds, mapper, statement, opts, flush);
  }

  /**
   * Begins the session's transaction explicitly and returns it (SQLAlchemy's {@code
   * session.begin()} without a block); end it with {@link #commit()} or {@link #rollback()}.
   * Without this call the session begins one when it first needs a connection.
   *
   * @throws InvalidRequestException (in the {@code Mono}) if a transaction is already in progress
   */
  public Mono<SessionTransaction> begin() {
    return usable("begin", () -> Mono.just(txs.begin()));
  }

  /**
   * Flushes, then begins a SAVEPOINT (beginning the transaction first if none is in progress) and
   * returns it: rolling it back undoes, in the database and in the session's objects, only what was
   * written since it began. A flush that fails inside it leaves the session refusing work until the
   * savepoint (or the whole transaction) is rolled back.
   */
  public Mono<SessionTransaction> beginNested() {
    // A savepoint on every connection in the transaction (on the default one if none is).
    return usable("beginNested", () -> txs.beginNested(connection(), null));
  }

  /** {@link #beginNested()} for a scope block that may leave first ({@link BlockClaim}). */
  public Mono<SessionTransaction> beginNested(BlockClaim<SessionTransaction> claim) {
    return usable("beginNested", () -> txs.beginNested(connection(), claim));
  }

  /**
   * Runs {@code work} in a SAVEPOINT (see {@link #beginNested()}): released when it completes,
   * rolled back when it fails or is cancelled; the outer transaction goes on either way.
   */
  public <T> Mono<T> beginNested(
      java.util.function.Function<SessionTransaction, ? extends org.reactivestreams.Publisher<T>>
          work) {
    return SessionTransactions.around(this::beginNested, work);
  }

  /** Commits (flush, RELEASE) or rolls back a savepoint, ending the ones inside it first. */
  Mono<Void> finishNested(SessionTransaction t, boolean commit) {
    String name = commit ? "commit" : "rollback";
    return op(
        name,
        () -> {
          checkOpen(name);
          return txs.finishNested(t, commit, name);
        });
  }

  /**
   * Returns the session's outermost transaction in progress, or {@code null} when none is (the
   * session begins one when it first needs a connection).
   */
  public @Nullable SessionTransaction getTransaction() {
    return txs.root();
  }

  /** Returns the innermost savepoint in progress, or {@code null}. */
  public @Nullable SessionTransaction getNestedTransaction() {
    return txs.savepoints().innermost();
  }

  /** Returns whether a savepoint begun with {@link #beginNested()} is in progress. */
  public boolean inNestedTransaction() {
    return !txs.savepoints().isEmpty();
  }

  /**
   * Writes every pending change: INSERTs, UPDATEs of the changed columns and DELETEs, in one
   * planned sequence. A failure rolls the transaction back, changes no object, and leaves the
   * session refusing work until {@link #rollback()}.
   */
  public Mono<Void> flush() {
    return op("flush", this::flushNow);
  }

  Mono<Void> flushNow() {
    return flusher.now();
  }

  /**
   * Flushes, commits the transaction and returns the connection to the pool; with {@code
   * expireOnCommit}, every object is then expired (kept values, reloaded on next reach). Once the
   * flush is done the commit runs to its end even if its subscriber cancels; the session's next
   * operation waits for that end.
   */
  public Mono<Void> commit() {
    return op("commit", () -> txs.commitSession(expireOnCommit));
  }

  /**
   * Rolls the transaction back and returns the connection: objects added in it are removed from the
   * session, objects deleted in it come back, and every object is expired. Clears a failed flush's
   * state. Runs to its end even if its subscriber cancels; the session's next operation waits for
   * that end.
   */
  public Mono<Void> rollback() {
    return op("rollback", txs::rollbackSession);
  }

  /**
   * Runs {@code work} as one transaction of this session (SQLAlchemy's {@code with
   * session.begin():}): commits when it completes, rolls back when it fails or is cancelled.
   *
   * @throws InvalidRequestException (in the {@code Mono}) if a transaction is already in progress
   */
  public <T> Mono<T> begin(
      java.util.function.Function<Session, ? extends org.reactivestreams.Publisher<T>> work) {
    return txs.around(work);
  }

  /**
   * Rolls back what was not committed, removes every object from the session and returns the
   * connection; the session can then not be used again. Waits for a commit, rollback or load whose
   * caller was cancelled to end first.
   *
   * @throws InvalidRequestException (in the {@code Mono}) while another caller's operation on this
   *     session runs (concurrent use); close after it
   */
  public Mono<Void> close() {
    return Mono.defer(() -> {
      Mono<Void> ending = guard.abandonedEnd();
      if (ending != null) {
        return ending.then(close()); // a commit or rollback whose caller left ends first
      }
      if (closed) {
        return Mono.empty();
      }
      // Another caller's operation still runs: closing under it would hand back the connection
      // it is using, and it could check out a new one after the close.
      checkIdle("close");
      closed = true;
      OpenSessions.remove(open);
      return txs.close();
    });
  }

  /**
   * Closes the session, discarding its connection instead of returning it to the pool (SQLAlchemy's
   * {@code invalidate}), for when the connection cannot be trusted any more: the database rolls
   * back what was not committed when the connection goes.
   */
  public Mono<Void> invalidate() {
    return Mono.defer(() -> txs.invalidate().then(close()));
  }

  /** Returns whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  // ---- reading ----

  /** Whether a statement with these options flushes first (autoflush, unless turned off). */
  boolean autoflushFor(ExecutionOptions options) {
    Boolean opt = options.get(AUTOFLUSH);
    return noAutoflush == 0 && (opt != null ? opt : autoflush);
  }

  /**
   * Runs a statement in the session's transaction. Each class a SELECT selects comes back as
   * objects of the identity map (see {@link Mapper}); other statements run as on a connection.
   * Flushes first unless autoflush is off.
   */
  public Mono<Result> execute(Executable statement) {
    return execute(statement, Map.of(), null);
  }

  /** Runs a statement with parameters; see {@link #execute(Executable)}. */
  public Mono<Result> execute(Executable statement, Map<String, ?> parameters) {
    return execute(statement, parameters, null);
  }

  /**
   * Runs a statement with parameters and execution options ({@link #POPULATE_EXISTING}, {@link
   * #AUTOFLUSH}); see {@link #execute(Executable)}.
   */
  public Mono<Result> execute(
      Executable statement, Map<String, ?> parameters, @Nullable ExecutionOptions options) {
    return op("execute", () -> queries.run(statement, parameters, options));
  }

  /**
   * Runs a statement for a {@link LoaderStrategy} inside the load that called it: on the session's
   * connection and transaction, objects made through the identity map, without an autoflush.
   */
  Mono<Result> loadQuery(Executable statement) {
    return queries.run(statement, Map.of(), ExecutionOptions.DEFAULTS.with(AUTOFLUSH, false));
  }

  /** Runs a statement through the session with these options, inside an operation holding it. */
  Mono<Result> loadQueryWith(
      Executable statement, Map<String, ?> parameters, ExecutionOptions options) {
    return queries.run(statement, parameters, options);
  }

  /**
   * Streams a statement in the session's transaction: rows are read from a server-side cursor as
   * they are fetched, and each class a SELECT selects comes back as objects of the identity map,
   * made a fetched batch at a time ({@code yieldPer}, 1,000 by default). The session's connection
   * is busy until the stream is read to its end or closed.
   */
  public Mono<StreamingResult> stream(
      Executable statement, Map<String, ?> parameters, @Nullable ExecutionOptions options) {
    return op("stream", () -> queries.stream(statement, parameters, options));
  }

  /** Streams a statement; see {@link #stream(Executable, Map, ExecutionOptions)}. */
  public Mono<StreamingResult> stream(Executable statement) {
    return stream(statement, Map.of(), null);
  }

  /** Streams a statement and hands out its first column (objects, for {@code select(X)}). */
  public <T> Mono<StreamingScalarResult<T>> streamScalars(Executable statement) {
    return stream(statement).map(StreamingResult::<T>scalars);
  }

  /** Streams a statement with parameters and options and hands out its first column. */
  public <T> Mono<StreamingScalarResult<T>> streamScalars(
      Executable statement, Map<String, ?> parameters, @Nullable ExecutionOptions options) {
    return stream(statement, parameters, options).map(StreamingResult::<T>scalars);
  }

  /** Runs a statement and returns a view of its first column (objects, for {@code select(X)}). */
  public <T> Mono<ScalarResult<T>> scalars(Executable statement) {
    return execute(statement).map(Result::<T>scalars);
  }

  /** Runs a statement with parameters and returns a view of its first column. */
  public <T> Mono<ScalarResult<T>> scalars(Executable statement, Map<String, ?> parameters) {
    return execute(statement, parameters).map(Result::<T>scalars);
  }

  /** Runs a statement and returns the first column of its first row (empty for none or NULL). */
  public Mono<Object> scalar(Executable statement) {
    return execute(statement).flatMap(r -> Mono.justOrEmpty(r.scalar()));
  }

  /** Runs a statement with parameters and returns the first column of its first row. */
  public Mono<Object> scalar(Executable statement, Map<String, ?> parameters) {
    return execute(statement, parameters).flatMap(r -> Mono.justOrEmpty(r.scalar()));
  }

  /**
   * Returns the object of a class with this primary key (a value, or a {@code List} of values for a
   * composite key): from the identity map without SQL when it is there and not expired, else
   * loaded; empty if there is no such row.
   */
  public <E> Mono<E> get(Class<E> type, Object primaryKey) {
    return get(type, primaryKey, null);
  }

  /**
   * Like {@link #get(Class, Object)}, with execution options ({@link #POPULATE_EXISTING}, {@link
   * #IDENTITY_TOKEN}: the object of that token is looked up, and loaded with it).
   */
  public <E> Mono<E> get(Class<E> type, Object primaryKey, @Nullable ExecutionOptions options) {
    return usable("get", () -> loads.get(type, primaryKey, options));
  }

  /**
   * Returns the object of a class with this primary key when the session holds it loaded and not
   * expired, else {@code null}: the answer {@link #get} gives without SQL, with no IO and no {@code
   * Mono} (the faces try it first). {@code null} also while another call runs or after close, so
   * that {@code get} reports those.
   */
  public <E> @Nullable E getLoaded(Class<E> type, Object primaryKey) {
    return closed || !guard.isFree() ? null : loads.loaded(type, primaryKey);
  }

  /**
   * Like {@link #get(Class, Object)}, but fails when there is no such row.
   *
   * @throws NoResultFoundException (in the {@code Mono}) naming the class and key
   */
  public <E> Mono<E> getOne(Class<E> type, Object primaryKey) {
    return get(type, primaryKey)
        .switchIfEmpty(Mono.error(() -> SessionLoads.noRow(type, primaryKey)));
  }

  /**
   * Copies the state of an object from outside this session (detached, or from another session)
   * onto this session's object of the same identity, and returns that object (SQLAlchemy's {@code
   * merge}): found in the identity map, else loaded (with {@code load}); an object without an
   * identity, or with one no row has, becomes a new pending copy. The given object is not attached.
   * With {@code load} false nothing is read: the object is taken as what the database holds, and
   * the session's copy starts clean.
   */
  public <E> Mono<E> merge(E entity, boolean load) {
    return usable("merge", () -> loads.merge(entity, load));
  }

  /** Merges with {@code load} true; see {@link #merge(Object, boolean)}. */
  public <E> Mono<E> merge(E entity) {
    return merge(entity, true);
  }

  /**
   * Reloads an object's columns from the database in place (flushing first unless autoflush is
   * off); it is no longer expired.
   *
   * @throws InvalidRequestException if the object is not persistent in this session
   * @throws NoResultFoundException (in the {@code Mono}) if its row is gone
   */
  public Mono<Void> refresh(Object entity) {
    return refresh(entity, null);
  }

  /**
   * Reloads some attributes of an object from the database in place (all of them for {@code null}),
   * discarding changes made to them; the other attributes keep their values and changes. A
   * relationship named ({@link Relationship}) is loaded again, with one SELECT of its objects.
   *
   * @throws InvalidRequestException if the object is not persistent in this session
   * @throws NoResultFoundException (in the {@code Mono}) if its row is gone
   */
  public Mono<Void> refresh(Object entity, @Nullable Collection<String> attributes) {
    return op("refresh", () -> loads.refresh(entity, attributes));
  }

  /**
   * Returns an object's relationship ({@link Relationship}), loading it first with one SELECT when
   * the session has not loaded it (SQLAlchemy's awaitable attributes): a loaded one comes back as
   * it is, with no IO. {@link #refresh(Object, Collection)} with its name loads it again instead.
   *
   * @throws dev.athanor.error.MappingException if the class has no relationship of that name
   * @throws InvalidRequestException if the object is not persistent in this session
   */
  public <T> Mono<List<T>> fetch(Object entity, String relationship) {
    return op("fetch", () -> loads.fetch(entity, relationship));
  }

  /**
   * Runs blocking code on a virtual thread with a {@link SyncSession} over this session: the same
   * identity map, unit of work and transaction (SQLAlchemy's {@code AsyncSession.run_sync}).
   * Completes with what {@code fn} returns ({@code null}: empty). The session's connection is
   * checked out (and its transaction begun) first; the caller's SLF4J MDC and the thread-locals
   * named with {@link dev.athanor.engine.RunSyncContext#propagate} cross over. The session serves
   * only {@code fn} until it returns.
   */
  public <T> Mono<T> runSync(java.util.function.Function<SyncSession, @Nullable T> fn) {
    return SessionRunSync.run(this, fn);
  }

  UnitOfWork work() {
    return work;
  }

  @Override
  public String toString() {
    Object url = binds.defaultEngine.url();
    int n = work.states.size();
    return "Session(" + url + ", " + n + " objects" + (closed ? ", closed" : "") + ")";
  }
}
