package dev.athanor.sql;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Options that change how statements run, set on an engine (its default), a connection, or one
 * execution; later ones override earlier ones. Besides the built-in ones, any typed {@link Key} can
 * carry a value (SQLAlchemy's {@code execution_options(foo="bar")}): listeners read them from the
 * engine's {@code ExecuteContext.executionOptions()}, and layers above the Core (the ORM) keep
 * their own options there.
 *
 * <pre>{@code
 * static final ExecutionOptions.Key<String> TENANT = ExecutionOptions.key("tenant", String.class);
 * conn.executionOptions(ExecutionOptions.DEFAULTS.with(TENANT, "acme"));
 * }</pre>
 *
 * @param isolationLevel the isolation of transactions begun from now on, or {@code null} for the
 *     database default
 * @param streamResults ask for streaming; {@code execute} then refuses and points to {@code stream}
 * @param yieldPer rows fetched per round trip when streaming (the server-side cursor's fetch size),
 *     or {@code 0} for the default
 * @param extra the values of other keys, by key
 */
public record ExecutionOptions(
    @Nullable IsolationLevel isolationLevel,
    boolean streamResults,
    int yieldPer,
    Map<Key<?>, Object> extra) {

  /** The defaults: database isolation, buffered results, default batch size. */
  public static final ExecutionOptions DEFAULTS = new ExecutionOptions(null, false, 0);

  /** Default rows per round trip for a streaming result. */
  public static final int DEFAULT_YIELD_PER = 1000;

  /**
   * A typed option key; two keys are the same when their names are (so a key made twice with one
   * name finds the same value).
   *
   * @param name the option's name
   * @param type the type of its values
   */
  public record Key<T>(String name, Class<T> type) {
    /** Checks the name. */
    public Key {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Key<?> k && k.name.equals(name);
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }
  }

  /**
   * On PostgreSQL, sends an executemany UPDATE that matches one row per parameter set by its whole
   * primary key, and sets columns from parameters, as one {@code UPDATE ... FROM (VALUES ...)} per
   * page of sets instead of one execution per set: one round trip, about ten times faster for a
   * thousand rows. The rowcount is the total, as for any executemany; statement-level triggers fire
   * once per page. A statement of another shape, or sets that name one row twice, run as usual. Off
   * by default; the ORM's flush turns it on for its UPDATEs.
   */
  public static final Key<Boolean> UPDATE_MANY_VALUES =
      new Key<>("updateManyValues", Boolean.class);

  /** Makes a typed key. */
  public static <T> Key<T> key(String name, Class<T> type) {
    return new Key<>(name, type);
  }

  /** Makes options with the built-in values and no others. */
  public ExecutionOptions(
      @Nullable IsolationLevel isolationLevel, boolean streamResults, int yieldPer) {
    this(isolationLevel, streamResults, yieldPer, Map.of());
  }

  /** Copies the map of other values. */
  public ExecutionOptions {
    extra = Map.copyOf(extra);
  }

  /** Returns a copy with another isolation level. */
  public ExecutionOptions isolationLevel(IsolationLevel level) {
    return new ExecutionOptions(level, streamResults, yieldPer, extra);
  }

  /** Returns a copy that asks for streaming results. */
  public ExecutionOptions streamResults(boolean on) {
    return new ExecutionOptions(isolationLevel, on, yieldPer, extra);
  }

  /** Returns a copy with another fetch size for streaming (implies stream results). */
  public ExecutionOptions yieldPer(int rows) {
    if (rows < 1) {
      throw new dev.athanor.error.ArgumentException(
          "yieldPer must be at least 1, not " + rows + ".");
    }
    return new ExecutionOptions(isolationLevel, true, rows, extra);
  }

  /**
   * Returns a copy in which {@code key} has {@code value}.
   *
   * @throws dev.athanor.error.ArgumentException if the value is not of the key's type
   */
  public <T> ExecutionOptions with(Key<T> key, T value) {
    if (!key.type().isInstance(value)) {
      throw new dev.athanor.error.ArgumentException(
          "Execution option '"
              + key.name()
              + "' takes a "
              + key.type().getSimpleName()
              + ", not "
              + (value == null ? "null" : "a " + value.getClass().getSimpleName())
              + ".");
    }
    Map<Key<?>, Object> m = new LinkedHashMap<>(extra);
    m.put(key, value);
    return new ExecutionOptions(isolationLevel, streamResults, yieldPer, m);
  }

  /** Returns a copy with an untyped option of the program's own, by name. */
  public ExecutionOptions with(String name, Object value) {
    return with(key(name, Object.class), value);
  }

  /** Returns the value of {@code key}, or {@code null} if none was set. */
  public <T> @Nullable T get(Key<T> key) {
    Object v = extra.get(key);
    return v == null ? null : key.type().cast(v);
  }

  /** Returns the value of the option named {@code name}, or {@code null}. */
  public @Nullable Object get(String name) {
    return extra.get(key(name, Object.class));
  }

  /** Returns these options with the non-default values of {@code other} laid over them. */
  public ExecutionOptions merge(ExecutionOptions other) {
    Map<Key<?>, Object> m = extra;
    if (!other.extra.isEmpty()) {
      m = new LinkedHashMap<>(extra);
      m.putAll(other.extra);
    }
    return new ExecutionOptions(
        other.isolationLevel != null ? other.isolationLevel : isolationLevel,
        other.streamResults || streamResults,
        other.yieldPer > 0 ? other.yieldPer : yieldPer,
        m);
  }

  /** Returns the fetch size a stream uses. */
  public int effectiveYieldPer() {
    return yieldPer > 0 ? yieldPer : DEFAULT_YIELD_PER;
  }
}
