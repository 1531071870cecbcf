package dev.athanor.session;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Identifies a row of a mapped class in a session's identity map: the mapper, the primary key
 * values in key order, and the identity token (SQLAlchemy's identity key). The token is {@code
 * null} unless rows were loaded with {@link Session#IDENTITY_TOKEN}: it tells apart rows with the
 * same key in different databases (shards) that one session reads, and routes their writes back.
 *
 * <p>Keys are equal when their values are: a {@code byte[]} value (a binary key) by its content,
 * every other value by {@code equals}.
 *
 * @param mapper the class's mapper
 * @param values the primary key values
 * @param token the identity token, or {@code null}
 */
public record IdentityKey(Mapper<?> mapper, List<Object> values, @Nullable Object token) {
  /**
   * Makes the key; a {@link BigDecimal} value is kept in its shortest form ({@code 1.00} and {@code
   * 1} are one key), since the database gives a decimal key back at its column's scale, whatever
   * scale it was given with; an {@link OffsetDateTime} is kept at UTC ({@code 12:00+02:00} and
   * {@code 10:00Z} are one instant, which is how both databases compare them); a {@code byte[]}
   * value is copied, so that changing the array the key was made from changes neither the key nor
   * its hash.
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
      Object v = values.get(i);
      if (v instanceof BigDecimal || v instanceof byte[] || v instanceof OffsetDateTime) {
        if (out == null) {
          out = values.toArray();
        }
        out[i] =
            switch (v) {
              case BigDecimal d -> shortest(d);
              case OffsetDateTime t -> t.withOffsetSameInstant(ZoneOffset.UTC);
              default -> ((byte[]) v).clone(); // a binary key's own copy
            };
      }
    }
    return out == null ? values : Arrays.asList(out);
  }

  private static BigDecimal shortest(BigDecimal d) {
    BigDecimal stripped = d.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof IdentityKey k)
        || !mapper.equals(k.mapper)
        || !Objects.equals(token, k.token)
        || values.size() != k.values.size()) {
      return false;
    }
    for (int i = 0; i < values.size(); i++) {
      Object a = values.get(i);
      Object b = k.values.get(i);
      if (!Objects.equals(a, b)
          && !(a instanceof byte[] x && b instanceof byte[] y && Arrays.equals(x, y))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (Object v : values) {
      h = 31 * h + (v instanceof byte[] b ? Arrays.hashCode(b) : Objects.hashCode(v));
    }
    return 31 * (31 * mapper.hashCode() + h) + Objects.hashCode(token);
  }

  @Override
  public String toString() {
    String text = mapper.type().getSimpleName() + valuesText();
    return token == null ? text : text + "@" + token;
  }

  /** The key values as a list, a binary value in hex ({@code [0x0a0b, 2]}), for messages. */
  String valuesText() {
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      Object v = values.get(i);
      s.append(i == 0 ? "" : ", ")
          .append(v instanceof byte[] b ? "0x" + HexFormat.of().formatHex(b) : v);
    }
    return s.append(']').toString();
  }
}
