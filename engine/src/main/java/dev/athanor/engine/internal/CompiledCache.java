package dev.athanor.engine.internal;

import dev.athanor.sql.CompiledStatement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A bounded, least-recently-used cache of compiled statements, keyed on a statement's {@link
 * dev.athanor.sql.StatementShape} (with, for INSERT/UPDATE without explicit values, the parameter
 * names): statements built anew for every request, carrying other values, share one compilation.
 */
public final class CompiledCache {
  private final int capacity;
  private final Map<Object, CompiledStatement> map;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();

  /** Creates a cache for at most {@code capacity} statements (0: no caching). */
  public CompiledCache(int capacity) {
    this.capacity = capacity;
    this.map =
        new LinkedHashMap<>(Math.max(16, Math.min(capacity, 1024)), 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Object, CompiledStatement> eldest) {
            return size() > CompiledCache.this.capacity;
          }
        };
  }

  /** Returns the cached compilation for the key, compiling on a miss. */
  public CompiledStatement get(Object key, Supplier<CompiledStatement> compile) {
    if (capacity == 0) {
      misses.incrementAndGet();
      return compile.get();
    }
    CompiledStatement c;
    synchronized (map) {
      c = map.get(key);
    }
    if (c != null) {
      hits.incrementAndGet();
      return c;
    }
    misses.incrementAndGet();
    c = compile.get();
    synchronized (map) {
      map.put(key, c);
    }
    return c;
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
