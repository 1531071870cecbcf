package dev.athanor.session;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a session knows of one object ({@code session.inspect(obj)}, SQLAlchemy's {@code
 * inspect(obj)}): its {@link Status}, identity, whether it is expired, which attributes were
 * changed since it was loaded or flushed, and their committed values.
 */
public final class InstanceState {
  /** Where an object stands with a session. */
  public enum Status {
    /** Not in a session and never saved. */
    TRANSIENT,
    /** Added to a session, not yet inserted. */
    PENDING,
    /** In a session with a row in the database. */
    PERSISTENT,
    /** Deleted in a flush; detached when the transaction commits. */
    DELETED,
    /** Had a row, no longer in a session. */
    DETACHED
  }

  final Object object;
  final Mapper<Object> mapper;
  volatile Status status;
  volatile @Nullable IdentityKey key;

  /** The identity token its rows were loaded with ({@link Session#IDENTITY_TOKEN}), or null. */
  volatile @Nullable Object token;

  volatile @Nullable Object[] committed;
  volatile boolean expired;

  /**
   * The field values when the object was expired: changes made before expiring are discarded by the
   * reload (as in SQLAlchemy), changes made after it are kept and flushed.
   */
  volatile @Nullable Object[] atExpiry;

  /** Which attributes are expired when only some are ({@code expire(obj, names)}); null: all. */
  volatile boolean @Nullable [] expiredOnly;

  @SuppressWarnings("unchecked")
  InstanceState(Object object, Mapper<?> mapper, Status status) {
    this.object = object;
    this.mapper = (Mapper<Object>) mapper;
    this.status = status;
  }

  /** Returns the object. */
  public Object object() {
    return object;
  }

  /** Returns its class's mapper. */
  public Mapper<?> mapper() {
    return mapper;
  }

  /** Returns where the object stands. */
  public Status status() {
    return status;
  }

  /** Returns its identity in the session, or {@code null} before it is inserted. */
  public @Nullable IdentityKey identity() {
    return key;
  }

  /**
   * Returns the identity token it was loaded with ({@link Session#IDENTITY_TOKEN}), or {@code
   * null}.
   */
  public @Nullable Object identityToken() {
    return token;
  }

  /**
   * Returns whether it is expired: its fields keep their values, and the next {@code get}, query or
   * {@code refresh} that reaches it through the session reloads them in place.
   */
  public boolean isExpired() {
    return expired;
  }

  /**
   * Returns the attributes whose values differ from the committed ones (for an expired object:
   * changed since it was expired).
   */
  public Set<String> modifiedAttributes() {
    Set<String> out = new LinkedHashSet<>();
    List<Attribute<Object, ?>> attrs = attributes();
    for (int i = 0; i < attrs.size(); i++) {
      if (committed == null || !same(baseline(i), attrs.get(i).read(object))) {
        out.add(attrs.get(i).name());
      }
    }
    return out;
  }

  /**
   * The value a change of attribute {@code i} is measured against: its value when it was expired
   * (changes made before expiring are discarded), else its committed value.
   */
  @Nullable Object baseline(int i) {
    Object[] at = atExpiry;
    if (expired && at != null && isExpired(i)) {
      return at[i];
    }
    Object[] c = committed;
    return c == null ? null : c[i];
  }

  /** Returns whether attribute {@code i} is expired (all are, unless only some were expired). */
  boolean isExpired(int i) {
    boolean[] only = expiredOnly;
    return expired && (only == null || only[i]);
  }

  /** Returns the names of the expired attributes (every mapped one when the object is expired). */
  public Set<String> expiredAttributes() {
    Set<String> out = new LinkedHashSet<>();
    List<Attribute<Object, ?>> attrs = attributes();
    for (int i = 0; i < attrs.size(); i++) {
      if (isExpired(i)) {
        out.add(attrs.get(i).name());
      }
    }
    return out;
  }

  /** Returns whether any attribute differs from its committed value (or it was never saved). */
  public boolean isModified() {
    if (committed == null) {
      return true;
    }
    List<Attribute<Object, ?>> attrs = attributes();
    for (int i = 0; i < attrs.size(); i++) {
      if (!same(baseline(i), attrs.get(i).read(object))) {
        return true;
      }
    }
    return false;
  }

  /** Returns an attribute's value as last loaded or flushed, or {@code null}. */
  public @Nullable Object committedValue(String attribute) {
    Object[] c = committed;
    if (c == null) {
      return null;
    }
    List<Attribute<Object, ?>> attrs = attributes();
    for (int i = 0; i < attrs.size(); i++) {
      if (attrs.get(i).name().equals(attribute)) {
        return c[i];
      }
    }
    mapper.attribute(attribute); // raises, naming the mapped fields
    return null;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  List<Attribute<Object, ?>> attributes() {
    return (List) mapper.attributes();
  }

  /** Marks the object expired, remembering its values to tell later changes. */
  void expire() {
    // Expiring again discards what changed since the last expiry too. An object that holds its
    // committed values (every object after a commit) shares that array: arrays are never changed
    // in place, and committing 10,000 objects then needs no copy of each.
    Object[] c = committed;
    atExpiry = !expired && c != null && holds(c) ? c : values();
    expiredOnly = null;
    expired = true;
  }

  /**
   * Marks some attributes expired: the next load that reaches the object rewrites those alone; a
   * change made to them before now is discarded, one made to the others is kept.
   */
  void expire(Collection<String> names) {
    List<Attribute<Object, ?>> attrs = attributes();
    if (!mapper.relationships().isEmpty()) {
      // A relationship named here is not loaded any more: a read refuses until it is loaded again.
      List<String> columns = new java.util.ArrayList<>(names.size());
      for (String n : names) {
        RelatedCollection r = mapper.findRelationship(n);
        if (r != null) {
          r.markUnloaded(object);
        } else {
          columns.add(n);
        }
      }
      if (columns.size() < names.size()) {
        if (!columns.isEmpty()) {
          expire(columns);
        }
        return;
      }
    }
    int[] which = new int[names.size()];
    int k = 0;
    for (String n : names) {
      which[k++] = attrs.indexOf(mapper.attribute(n)); // raises for a name that is not mapped
    }
    if (expired && expiredOnly == null) {
      return; // all already expired
    }
    boolean[] only = expiredOnly == null ? new boolean[attrs.size()] : expiredOnly.clone();
    Object[] at = atExpiry == null ? new Object[attrs.size()] : atExpiry.clone();
    for (int i : which) {
      only[i] = true;
      at[i] = copy(attrs.get(i).read(object));
    }
    atExpiry = at;
    expiredOnly = only;
    expired = true;
  }

  /** Clears the expiry after a load rewrote the expired attributes. */
  void unexpire() {
    if (!expired && expiredOnly == null && atExpiry == null) {
      return; // the usual case, a fresh object: no volatile write
    }
    expired = false;
    expiredOnly = null;
    atExpiry = null;
  }

  /** Whether the fields hold exactly {@code values}. */
  private boolean holds(Object[] values) {
    List<Attribute<Object, ?>> attrs = attributes();
    for (int i = 0; i < values.length; i++) {
      if (!same(values[i], attrs.get(i).read(object))) {
        return false;
      }
    }
    return true;
  }

  /** Returns a copy of the current field values. */
  Object[] values() {
    List<Attribute<Object, ?>> attrs = attributes();
    Object[] c = new Object[attrs.size()];
    for (int i = 0; i < c.length; i++) {
      c[i] = copy(attrs.get(i).read(object));
    }
    return c;
  }

  /** Takes the current field values as the committed ones. */
  void snapshot() {
    committed = values();
  }

  /** Returns the identity key the object's fields give now (null values when not set). */
  IdentityKey keyFromFields() {
    List<? extends Attribute<?, ?>> key = mapper.primaryKey();
    if (key.size() == 1) {
      return new IdentityKey(mapper, java.util.Collections.singletonList(read(key.get(0))), token);
    }
    List<Object> values = new ArrayList<>(key.size());
    for (Attribute<?, ?> a : key) {
      values.add(read(a));
    }
    return new IdentityKey(mapper, values, token);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private @Nullable Object read(Attribute<?, ?> a) {
    return ((Attribute) a).read(object);
  }

  /**
   * Whether a field's value is unchanged: arrays by content, decimals by value ({@code 1.5} is the
   * {@code 1.5000000000} a column gave back), timestamps with an offset by instant (as SQLAlchemy
   * compares Python's decimals and aware datetimes); else {@code equals}.
   */
  static boolean same(@Nullable Object a, @Nullable Object b) {
    if (a == b) {
      return true;
    }
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.equals(x, y);
    }
    if (a instanceof java.math.BigDecimal x && b instanceof java.math.BigDecimal y) {
      return x.compareTo(y) == 0;
    }
    if (a instanceof java.time.OffsetDateTime x && b instanceof java.time.OffsetDateTime y) {
      return x.isEqual(y);
    }
    return Objects.equals(a, b);
  }

  static @Nullable Object copy(@Nullable Object v) {
    return v instanceof byte[] b ? b.clone() : v;
  }

  @Override
  public String toString() {
    return "InstanceState("
        + object.getClass().getSimpleName()
        + ", "
        + status
        + (key != null ? ", " + key : "")
        + (expired ? ", expired" : "")
        + ")";
  }
}
