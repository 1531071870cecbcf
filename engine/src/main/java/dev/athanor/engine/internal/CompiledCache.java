package dev.athanor.engine.internal;

import dev.athanor.sql.CompiledStatement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A bounded, least-recently-used cache of compiled statements, keyed on a statement's {@link
 * dev.athanor.sql.StatementShape} (with, for INSERT/UPDATE without explicit values, the parameter
 * names): statements built anew for every request, carrying other values, share one compilation.
 */
public final class CompiledCache {
  /**
   * A cached compilation, and what executions of it learn once and share: the shape of its rows
   * (names, keys and value types, read from the first result's metadata).
   */
  public static final class Entry {
    private final CompiledStatement compiled;
    private volatile RowReader.@Nullable Shape rowShape;

    Entry(CompiledStatement compiled) {
      this.compiled = compiled;
    }

    /** Returns the compiled statement. */
    public CompiledStatement compiled() {
      return compiled;
    }

    /** Returns the row shape an execution stored, or {@code null}. */
    RowReader.@Nullable Shape rowShape() {
      return rowShape;
    }

    /** Stores the row shape for later executions. */
    void rowShape(RowReader.Shape shape) {
      rowShape = shape;
    }
  }

  private final int capacity;
  private final Map<Object, CompiledCache.Entry> map;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();

  /** Creates a cache for at most {@code capacity} statements (0: no caching). */
  public CompiledCache(int capacity) {
    this.capacity = capacity;
    this.map =
        new LinkedHashMap<>(Math.max(16, Math.min(capacity, 1024)), 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Object, CompiledCache.Entry> eldest) {
            return size() > CompiledCache.this.capacity;
          }
        };
  }

  /** Returns the cached compilation for the key, compiling on a miss. */
  public CompiledStatement get(Object key, Supplier<CompiledStatement> compile) {
    return entry(key, compile).compiled();
  }

  /**
   * Returns the cached entry for the key and counts a hit, or {@code null} (nothing counted): the
   * caller then compiles through {@link #entry}. Lets the usual hit go without building the
   * compiling function.
   */
  public @Nullable Entry hit(Object key) {
    if (capacity == 0) {
      return null;
    }
    Entry e;
    synchronized (map) {
      e = map.get(key);
    }
    if (e != null) {
      hits.incrementAndGet();
    }
    return e;
  }

  /** Returns the cache entry for the key, compiling on a miss (a fresh entry if not caching). */
  public Entry entry(Object key, Supplier<CompiledStatement> compile) {
    Entry e = hit(key);
    if (e != null) {
      return e;
    }
    misses.incrementAndGet();
    if (capacity == 0) {
      return new Entry(compile.get());
    }
    e = new Entry(compile.get());
    synchronized (map) {
      map.put(key, e);
    }
    return e;
  }

  /** Empties the cache. */
  public void clear() {
    synchronized (map) {
      map.clear();
    }
  }

  /** Returns how many statements are cached. */
  public int size() {
    synchronized (map) {
      return map.size();
    }
  }

  /** Returns the number of lookups that found a compiled statement. */
  public long hits() {
    return hits.get();
  }

  /** Returns the number of lookups that compiled. */
  public long misses() {
    return misses.get();
  }
}
