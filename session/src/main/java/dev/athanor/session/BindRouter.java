package dev.athanor.session;

import dev.athanor.engine.Engine;
import org.jspecify.annotations.Nullable;

/**
 * Chooses the engine a session statement runs on (SQLAlchemy's overridable {@code get_bind}), for
 * sessions over more than one database: writes to a leader and reads to a follower, or one database
 * per group of tables. Set on a {@link SessionMaker} ({@link SessionMaker#router}).
 *
 * <pre>{@code
 * sessions.router(request -> request.isWrite() ? leader : follower);
 * }</pre>
 *
 * <p>A router is called once per statement (and once per flushed batch), on the session's thread,
 * and must not block. Returning {@code null} falls back to the session's binds by class and table,
 * then to its default engine. A statement with the {@link Session#BIND} execution option skips the
 * router: that is how one read that must see the session's own writes is pinned to the leader.
 */
@FunctionalInterface
public interface BindRouter {
  /** Returns the engine for this statement, or {@code null} for the session's usual choice. */
  @Nullable Engine route(BindRequest request);
}
