package dev.athanor.sql;

import dev.athanor.result.Result;
import reactor.core.publisher.Mono;

/**
 * What {@link MetaData#createAll(SchemaConnection)} and {@link MetaData#dropAll(SchemaConnection)}
 * need of a connection: its dialect and a way to run a statement. The engine's {@code Connection}
 * is one; the language itself knows no connection.
 */
public interface SchemaConnection {
  /** Returns the dialect statements are compiled for. */
  Dialect dialect();

  /** Runs a statement (DDL, or the query that asks whether a table exists). */
  Mono<Result> execute(Executable statement);
}
