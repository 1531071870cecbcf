package dev.athanor.engine;

/**
 * A snapshot of the pool's counters.
 *
 * @param checkedOut connections in use
 * @param idle connections waiting in the pool
 * @param allocated connections open (in use plus idle)
 * @param pending callers waiting for a connection
 * @param maxSize the most connections the pool opens
 */
public record PoolStatus(int checkedOut, int idle, int allocated, int pending, int maxSize) {}
