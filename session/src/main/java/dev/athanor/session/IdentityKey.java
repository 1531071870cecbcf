package dev.athanor.session;

import java.util.List;

/**
 * Identifies a row of a mapped class in a session's identity map: the mapper and the primary key
 * values, in key order (SQLAlchemy's identity key).
 *
 * @param mapper the class's mapper
 * @param values the primary key values
 */
public record IdentityKey(Mapper<?> mapper, List<Object> values) {
  @Override
  public String toString() {
    return mapper.type().getSimpleName() + values;
  }
}
