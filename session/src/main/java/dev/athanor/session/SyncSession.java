package dev.athanor.session;

import dev.athanor.engine.SyncConnection;
import dev.athanor.engine.internal.Blocking;
import dev.athanor.result.Result;
import dev.athanor.result.ScalarResult;
import dev.athanor.sql.Executable;
import dev.athanor.sql.ExecutionOptions;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A blocking view of a {@link Session}, handed to {@link Session#runSync} functions: the same
 * identity map, unit of work and transaction, with plain calls that wait (SQLAlchemy's sync {@code
 * Session} inside {@code AsyncSession.run_sync}). Code written for a blocking session, or that
 * reads like it, runs here on a virtual thread. It refuses to block a non-blocking (event-loop)
 * thread, and it is usable only while its {@code runSync} function runs.
 */
public final class SyncSession {
  private final Session session;

  SyncSession(Session session) {
    this.session = session;
  }

  /** Returns the reactive session behind this view. */
  public Session async() {
    return session;
  }

  /**
   * Returns a blocking view of the session's connection, in its transaction (checking one out and
   * beginning the transaction if none).
   */
  public SyncConnection connection() {
    dev.athanor.engine.Connection c = Blocking.await(session.connection(), "connection()");
    return SyncConnection.of(java.util.Objects.requireNonNull(c));
  }

  /** Adds an object; see {@link Session#add}. */
  public void add(Object entity) {
    session.add(entity);
  }

  /** Adds every object; see {@link Session#addAll}. */
  public void addAll(Collection<?> entities) {
    session.addAll(entities);
  }

  /** Marks an object for deletion at the next flush; see {@link Session#delete}. */
  public void delete(Object entity) {
    Blocking.await(session.delete(entity), "delete()");
  }

  /** Writes every pending change; see {@link Session#flush}. */
  public void flush() {
    Blocking.await(session.flush(), "flush()");
  }

  /**
   * Commits the session's transaction; see {@link Session#commit}. The rest of the function then
   * runs with no connection, and the session checks out another when it needs one.
   */
  public void commit() {
    Blocking.await(session.commit(), "commit()");
  }

  /** Rolls the session's transaction back; see {@link Session#rollback}. */
  public void rollback() {
    Blocking.await(session.rollback(), "rollback()");
  }

  /** Returns the object with this primary key, or {@code null}; see {@link Session#get}. */
  public <E> @Nullable E get(Class<E> type, Object primaryKey) {
    return Blocking.await(session.get(type, primaryKey), "get()");
  }

  /**
   * Returns the object with this primary key, with execution options ({@link
   * Session#POPULATE_EXISTING}, {@link Session#IDENTITY_TOKEN}), or {@code null}.
   */
  public <E> @Nullable E get(Class<E> type, Object primaryKey, ExecutionOptions options) {
    return Blocking.await(session.get(type, primaryKey, options), "get()");
  }

  /** Returns the object with this primary key, or raises; see {@link Session#getOne}. */
  public <E> E getOne(Class<E> type, Object primaryKey) {
    E e = Blocking.await(session.getOne(type, primaryKey), "getOne()");
    if (e == null) {
      throw new IllegalStateException("getOne() completed without a value");
    }
    return e;
  }

  /** Runs a statement in the session's transaction; see {@link Session#execute}. */
  public Result execute(Executable statement) {
    return execute(statement, Map.of(), null);
  }

  /** Runs a statement with parameters and execution options; see {@link Session#execute}. */
  public Result execute(
      Executable statement, Map<String, ?> parameters, @Nullable ExecutionOptions options) {
    Result r = Blocking.await(session.execute(statement, parameters, options), "execute()");
    if (r == null) {
      throw new IllegalStateException("execute() completed without a result");
    }
    return r;
  }

  /** Runs a statement and returns a view of its first column; see {@link Session#scalars}. */
  public <T> ScalarResult<T> scalars(Executable statement) {
    return execute(statement).scalars();
  }

  /** Returns the first column of the first row, or {@code null}; see {@link Session#scalar}. */
  public @Nullable Object scalar(Executable statement) {
    return Blocking.await(session.scalar(statement), "scalar()");
  }

  /** Reloads an object from the database in place; see {@link Session#refresh}. */
  public void refresh(Object entity) {
    Blocking.await(session.refresh(entity), "refresh()");
  }

  /**
   * Reloads some attributes (or relationships) of an object in place; see {@link
   * Session#refresh(Object, Collection)}.
   */
  public void refresh(Object entity, Collection<String> attributes) {
    Blocking.await(session.refresh(entity, attributes), "refresh()");
  }

  /** Returns an object's relationship, loaded first if need be; see {@link Session#fetch}. */
  public <T> java.util.List<T> fetch(Object entity, String relationship) {
    java.util.List<T> list = Blocking.await(session.<T>fetch(entity, relationship), "fetch()");
    if (list == null) {
      throw new IllegalStateException("fetch() completed without a list");
    }
    return list;
  }

  /**
   * Copies an object's state onto the session's object of its identity; see {@link Session#merge}.
   */
  public <E> E merge(E entity) {
    E e = Blocking.await(session.merge(entity), "merge()");
    if (e == null) {
      throw new IllegalStateException("merge() completed without a value");
    }
    return e;
  }

  /** Marks an object expired; see {@link Session#expire}. */
  public void expire(Object entity) {
    session.expire(entity);
  }

  /** Marks some attributes (or relationships) of an object expired; see {@link Session#expire}. */
  public void expire(Object entity, Collection<String> attributes) {
    session.expire(entity, attributes);
  }

  /** Marks every object expired; see {@link Session#expireAll}. */
  public void expireAll() {
    session.expireAll();
  }

  /** Removes an object from the session; see {@link Session#expunge}. */
  public void expunge(Object entity) {
    session.expunge(entity);
  }

  /** Returns whether an object has changes a flush would write. */
  public boolean isModified(Object entity) {
    return session.isModified(entity);
  }

  /** Returns what the session knows of an object. */
  public InstanceState inspect(Object entity) {
    return session.inspect(entity);
  }

  /** Returns whether the object is in the session. */
  public boolean contains(Object entity) {
    return session.contains(entity);
  }

  /** Returns the objects added and not yet inserted. */
  public Set<Object> getNew() {
    return session.getNew();
  }

  /** Returns the persistent objects with changes a flush would write. */
  public Set<Object> getDirty() {
    return session.getDirty();
  }

  /** Returns the objects marked for deletion. */
  public Set<Object> getDeleted() {
    return session.getDeleted();
  }

  @Override
  public String toString() {
    return "SyncSession(" + session + ")";
  }
}
