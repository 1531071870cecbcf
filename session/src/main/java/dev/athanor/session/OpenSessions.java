package dev.athanor.session;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every session of this JVM not closed yet, held weakly (a session dropped unclosed is forgotten):
 * what {@link Session#closeAll()} closes and {@link Session#objectSession} searches. A session is
 * added when made and removed when closed, on every request of a web application, so both are a
 * lock-free set operation rather than a turn on one global lock.
 */
final class OpenSessions {
  private static final ReferenceQueue<Session> DROPPED = new ReferenceQueue<>();
  private static final Set<Entry> ALL = ConcurrentHashMap.newKeySet();

  private OpenSessions() {}

  /** A session's place in the set (equal only to itself). */
  static final class Entry extends WeakReference<Session> {
    private Entry(Session s) {
      super(s, DROPPED);
    }
  }

  /** Adds a session that was just made. */
  static Entry add(Session s) {
    forgetDropped();
    Entry e = new Entry(s);
    ALL.add(e);
    return e;
  }

  /** Removes a session that is closing. */
  static void remove(Entry e) {
    ALL.remove(e);
  }

  /** The sessions not closed yet, in no particular order. */
  static List<Session> all() {
    forgetDropped();
    List<Session> out = new ArrayList<>();
    for (Entry e : ALL) {
      Session s = e.get();
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  /** How many entries the set holds, dropped sessions not yet forgotten included (for tests). */
  static int size() {
    return ALL.size();
  }

  private static void forgetDropped() {
    Reference<? extends Session> r;
    while ((r = DROPPED.poll()) != null) {
      ALL.remove(r);
    }
  }

  /** Closes every open session, one after another; see {@link Session#closeAll()}. */
  static reactor.core.publisher.Mono<Void> closeAll() {
    return reactor.core.publisher.Mono.defer(() ->
        reactor.core.publisher.Flux.fromIterable(all()).concatMapDelayError(Session::close).then());
  }
}
