package dev.athanor.java;

import dev.athanor.session.BindRequest;
import org.jspecify.annotations.Nullable;

/**
 * The Java face of a {@link dev.athanor.session.BindRouter}: chooses the engine each statement of a
 * session runs on, for sessions over more than one database (writes to a leader, reads to a
 * follower). Set with {@link AsyncSessionMaker#router}.
 *
 * <pre>{@code
 * sessions.router(request -> request.isWrite() ? leader : follower);
 * }</pre>
 *
 * <p>Called once per statement on the session's thread; it must not block. Returning {@code null}
 * falls back to the binds by class and table, then to the default engine.
 */
@FunctionalInterface
public interface AsyncBindRouter {
  /** Returns the engine for this statement, or {@code null} for the session's usual choice. */
  @Nullable AsyncEngine route(BindRequest request);
}
