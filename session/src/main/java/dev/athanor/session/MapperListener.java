package dev.athanor.session;

import dev.athanor.engine.Connection;
import reactor.core.publisher.Mono;

/**
 * Listens to the writes of one mapped class's objects during a flush (SQLAlchemy's mapper events).
 * Register one on a mapper ({@code mapper.events().add(l)}) or for every mapper ({@link
 * MapperEvents#addGlobal}).
 *
 * <p>Each event gets the flush's connection and may do IO on it (the returned {@code Mono} is
 * awaited, object after object, listener after listener). A {@code before} listener may change the
 * object: the flush writes what it holds after the listeners ran (a change of an object that was
 * not going to be written does not make it written). A listener's error fails the flush, which
 * rolls back.
 */
public interface MapperListener {
  /** An object is about to be inserted. */
  default Mono<Void> beforeInsert(Mapper<?> mapper, Connection connection, Object target) {
    return Mono.empty();
  }

  /** An object was inserted; it holds its key. */
  default Mono<Void> afterInsert(Mapper<?> mapper, Connection connection, Object target) {
    return Mono.empty();
  }

  /** A changed object is about to be updated. */
  default Mono<Void> beforeUpdate(Mapper<?> mapper, Connection connection, Object target) {
    return Mono.empty();
  }

  /** An object was updated. */
  default Mono<Void> afterUpdate(Mapper<?> mapper, Connection connection, Object target) {
    return Mono.empty();
  }

  /** An object is about to be deleted. */
  default Mono<Void> beforeDelete(Mapper<?> mapper, Connection connection, Object target) {
    return Mono.empty();
  }

  /** An object was deleted. */
  default Mono<Void> afterDelete(Mapper<?> mapper, Connection connection, Object target) {
    return Mono.empty();
  }
}
