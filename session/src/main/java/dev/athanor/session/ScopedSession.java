package dev.athanor.session;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * One session per scope (SQLAlchemy's {@code scoped_session} / {@code async_scoped_session}): the
 * scope key function says which scope the caller is in (a request, a task, a coroutine), and {@link
 * #get()} gives that scope's session, made by the factory on first use. {@link #remove()} closes
 * the current scope's session and forgets it; call it when the scope ends.
 */
public final class ScopedSession {
  private final SessionMaker factory;
  private final Supplier<Object> scopeKey;
  private final Map<Object, Session> sessions = new ConcurrentHashMap<>();

  /** Keeps one session of {@code factory} per value of {@code scopeKey}. */
  public ScopedSession(SessionMaker factory, Supplier<Object> scopeKey) {
    this.factory = factory;
    this.scopeKey = scopeKey;
  }

  /** Returns the factory sessions are made with. */
  public SessionMaker factory() {
    return factory;
  }

  /** Returns the current scope's session, making it on first use. */
  public Session get() {
    return get(scopeKey.get());
  }

  /** Returns the session of the scope {@code key}, making it on first use. */
  public Session get(Object key) {
    return sessions.computeIfAbsent(key, k -> factory.create());
  }

  /** Returns whether the current scope has a session. */
  public boolean has() {
    return has(scopeKey.get());
  }

  /** Returns whether the scope {@code key} has a session. */
  public boolean has(Object key) {
    return sessions.containsKey(key);
  }

  /** Closes the current scope's session (if it has one) and forgets it. */
  public Mono<Void> remove() {
    return Mono.defer(() -> remove(scopeKey.get()));
  }

  /** Closes the session of the scope {@code key} (if any) and forgets it. */
  public Mono<Void> remove(Object key) {
    return Mono.defer(() -> {
      Session s = sessions.remove(key);
      return s == null ? Mono.empty() : s.close();
    });
  }

  /** Returns how many scopes have a session now. */
  public int size() {
    return sessions.size();
  }
}
