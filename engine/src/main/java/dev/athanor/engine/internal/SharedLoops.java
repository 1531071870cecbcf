package dev.athanor.engine.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import reactor.netty.resources.LoopResources;

/**
 * The PostgreSQL driver's event loops, one set per thread count for the whole JVM, shared by every
 * engine that asks for that many threads.
 *
 * <p>Why shared: Reactor Netty keeps a DNS resolver per {@code LoopResources} in a static cache
 * that is never emptied ({@code ClientTransportConfig.RESOLVERS_CACHE}), so loops made per engine
 * and disposed with it left about 85 KB behind for every engine ever created. Shared loops are
 * daemon threads that idle when no engine uses them, as Reactor Netty's own global loops do.
 */
final class SharedLoops {
  private static final ConcurrentMap<Integer, LoopResources> LOOPS = new ConcurrentHashMap<>();

  private SharedLoops() {}

  /** Returns the loops with {@code threads} worker threads, made on first use. */
  static LoopResources forThreads(int threads) {
    return LOOPS.computeIfAbsent(
        threads, n -> LoopResources.create("athanor-pg-" + n + "t", n, true));
  }
}
