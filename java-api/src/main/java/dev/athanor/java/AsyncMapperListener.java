package dev.athanor.java;

import dev.athanor.engine.Connection;
import dev.athanor.session.Mapper;
import dev.athanor.session.MapperEvents;
import dev.athanor.session.MapperListener;
import dev.athanor.session.Registration;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Listens to the writes of a mapped class's objects during a flush with {@code CompletionStage}s
 * (SQLAlchemy's mapper events): register one with {@link #listen} or {@link #addGlobal}. Each event
 * gets the flush's connection and may do IO on it; a {@code before} listener may change the object,
 * and the flush writes what it holds afterwards. A failed stage fails the flush, which rolls back.
 */
public interface AsyncMapperListener {
  /** An object is about to be inserted. */
  default CompletionStage<@Nullable Void> beforeInsert(
      Mapper<?> mapper, AsyncConnection connection, Object target) {
    return AsyncSessionListener.done();
  }

  /** An object was inserted; it holds its key. */
  default CompletionStage<@Nullable Void> afterInsert(
      Mapper<?> mapper, AsyncConnection connection, Object target) {
    return AsyncSessionListener.done();
  }

  /** A changed object is about to be updated. */
  default CompletionStage<@Nullable Void> beforeUpdate(
      Mapper<?> mapper, AsyncConnection connection, Object target) {
    return AsyncSessionListener.done();
  }

  /** An object was updated. */
  default CompletionStage<@Nullable Void> afterUpdate(
      Mapper<?> mapper, AsyncConnection connection, Object target) {
    return AsyncSessionListener.done();
  }

  /** An object is about to be deleted. */
  default CompletionStage<@Nullable Void> beforeDelete(
      Mapper<?> mapper, AsyncConnection connection, Object target) {
    return AsyncSessionListener.done();
  }

  /** An object was deleted. */
  default CompletionStage<@Nullable Void> afterDelete(
      Mapper<?> mapper, AsyncConnection connection, Object target) {
    return AsyncSessionListener.done();
  }

  /** Adds a listener of {@code mapper}'s objects' writes; the registration removes it. */
  static Registration listen(Mapper<?> mapper, AsyncMapperListener listener) {
    return mapper.events().add(core(listener));
  }

  /** Adds a listener for every mapper; the returned registration removes it. */
  static Registration addGlobal(AsyncMapperListener listener) {
    return MapperEvents.addGlobal(core(listener));
  }

  /** Returns the core listener that runs {@code listener}'s stages. */
  static MapperListener core(AsyncMapperListener listener) {
    return new MapperListener() {
      private Mono<Void> await(java.util.function.Supplier<CompletionStage<@Nullable Void>> s) {
        return Mono.fromCompletionStage(s).then();
      }

      @Override
      public Mono<Void> beforeInsert(Mapper<?> m, Connection c, Object t) {
        return await(() -> listener.beforeInsert(m, AsyncConnection.of(c), t));
      }

      @Override
      public Mono<Void> afterInsert(Mapper<?> m, Connection c, Object t) {
        return await(() -> listener.afterInsert(m, AsyncConnection.of(c), t));
      }

      @Override
      public Mono<Void> beforeUpdate(Mapper<?> m, Connection c, Object t) {
        return await(() -> listener.beforeUpdate(m, AsyncConnection.of(c), t));
      }

      @Override
      public Mono<Void> afterUpdate(Mapper<?> m, Connection c, Object t) {
        return await(() -> listener.afterUpdate(m, AsyncConnection.of(c), t));
      }

      @Override
      public Mono<Void> beforeDelete(Mapper<?> m, Connection c, Object t) {
        return await(() -> listener.beforeDelete(m, AsyncConnection.of(c), t));
      }

      @Override
      public Mono<Void> afterDelete(Mapper<?> m, Connection c, Object t) {
        return await(() -> listener.afterDelete(m, AsyncConnection.of(c), t));
      }
    };
  }
}
