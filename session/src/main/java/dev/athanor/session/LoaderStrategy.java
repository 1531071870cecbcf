package dev.athanor.session;

import java.util.List;
import reactor.core.publisher.Mono;

/**
 * How an attribute that is not a plain column is loaded when a query loads objects of its mapper:
 * the seam where relationship loaders (select-in, joined, raise) plug in. Column attributes are
 * read from the row by the {@link EntityLoader} itself; a strategy added to a mapper ({@link
 * Mapper#addLoader}) is called once per buffered result with the objects that result populated
 * (made, refreshed or reloaded), and may run its own statements on the session's connection and
 * transaction ({@link Session#loadQuery}) before the result is handed out.
 */
interface LoaderStrategy {
  /**
   * Loads this strategy's attribute for {@code objects}, all of its mapper's class; completes when
   * they are filled in.
   */
  Mono<Void> afterLoad(Session session, List<Object> objects);
}
