package dev.athanor.session;

import dev.athanor.sql.Delete;
import dev.athanor.sql.Executable;
import dev.athanor.sql.ExecutionOptions;
import dev.athanor.sql.Insert;
import dev.athanor.sql.Update;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link BindRouter} is asked to place: the statement a session is about to run, the mapped
 * class it is about, and whether it writes.
 *
 * @param session the session running it
 * @param mapper the mapped class the statement is about ({@code select(User)}, a flushed {@code
 *     User}, {@code update(User)}), or {@code null} for a Core statement or {@link
 *     Session#connection()}
 * @param statement the statement, or {@code null} when the session asks for a connection without
 *     one
 * @param options the statement's execution options with the call's laid over them
 * @param flushing whether the statement is part of a flush
 */
public record BindRequest(
    Session session,
    @Nullable Mapper<?> mapper,
    @Nullable Executable statement,
    ExecutionOptions options,
    boolean flushing) {

  /**
   * Returns the identity token the statement runs with ({@link Session#IDENTITY_TOKEN}: given to a
   * query or {@code get}, or the token of the objects a flush writes), or {@code null}: for a
   * router that keeps shards apart.
   */
  public @Nullable Object identityToken() {
    return options.get(Session.IDENTITY_TOKEN);
  }

  /** Returns whether the statement writes: a flush, an INSERT, an UPDATE or a DELETE. */
  public boolean isWrite() {
    return flushing
        || statement instanceof Insert
        || statement instanceof Update
        || statement instanceof Delete;
  }
}
