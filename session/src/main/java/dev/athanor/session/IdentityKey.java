package dev.athanor.session;

import java.math.BigDecimal;
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
  /**
   * Makes the key; a {@link BigDecimal} value is kept in its shortest form ({@code 1.00} and {@code
   * 1} are one key), since the database gives a decimal key back at its column's scale, whatever
   * scale it was given with.
   */
  public IdentityKey {
    values = canonical(values);
  }

  /** The identity key of a row loaded without an identity token. */
  public IdentityKey(Mapper<?> mapper, List<Object> values) {
    this(mapper, values, null);
  }

  private static List<Object> canonical(List<Object> values) {
    Object[] out = null;
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) instanceof BigDecimal d) {
        if (out == null) {
          out = values.toArray();
        }
        BigDecimal stripped = d.stripTrailingZeros();
        out[i] = stripped.scale() < 0 ? stripped.setScale(0) : stripped;
      }
    }
    return out == null ? values : java.util.Arrays.asList(out);
  }

  @Override
  public String toString() {
    return mapper.type().getSimpleName() + values + (token == null ? "" : "@" + token);
  }
}
