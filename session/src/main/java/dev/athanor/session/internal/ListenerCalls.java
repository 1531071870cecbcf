package dev.athanor.session.internal;

import dev.athanor.session.Session;
import reactor.core.publisher.Mono;

/**
 * Marks work as done on behalf of the operation a session is running, for the faces whose listeners
 * carry no Reactor context of their own (a Java {@code CompletionStage}). Not API.
 */
public final class ListenerCalls {
  /** The Reactor context key whose value is the session a listener's work belongs to. */
  public static final Object OWNER = new Object();

  private ListenerCalls() {}

  /** Returns {@code work} marked as a call made by one of {@code session}'s running listeners. */
  public static <T> Mono<T> onBehalfOf(Session session, Mono<T> work) {
    return work.contextWrite(ctx -> ctx.put(OWNER, session));
  }
}
