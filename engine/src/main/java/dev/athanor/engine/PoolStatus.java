package dev.athanor.engine;

/**
 * A snapshot of the pool's counters (SQLAlchemy's {@code pool.status()}).
 *
 * @param checkedOut connections in use
 * @param idle connections waiting in the pool
 * @param allocated connections open (in use plus idle)
 * @param pending callers waiting for a connection
 * @param maxSize the most connections the pool opens ({@code poolSize + maxOverflow})
 * @param size the connections the pool keeps ({@code poolSize})
 */
public record PoolStatus(
    int checkedOut, int idle, int allocated, int pending, int maxSize, int size) {

  /** Returns how many connections are open beyond {@link #size()} (SQLAlchemy's overflow). */
  public int overflow() {
    return Math.max(0, allocated - size);
  }
}
