package dev.athanor.session;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Identifies a row of a mapped class in a session's identity map: the mapper, the primary key
 * values in key order, and the identity token (SQLAlchemy's identity key). The token is {@code
 * null} unless rows were loaded with {@link Session#IDENTITY_TOKEN}: it tells apart rows with the
 * same key in different databases (shards) that one session reads, and routes their writes back.
 *
 * @param mapper the class's mapper
 * @param values the primary key values
 * @param token the identity token, or {@code null}
 */
public record IdentityKey(Mapper<?> mapper, List<Object> values, @Nullable Object token) {
  /** The identity key of a row loaded without an identity token. */
  public IdentityKey(Mapper<?> mapper, List<Object> values) {
    this(mapper, values, null);
  }

  @Override
  public String toString() {
    return mapper.type().getSimpleName() + values + (token == null ? "" : "@" + token);
  }
}
