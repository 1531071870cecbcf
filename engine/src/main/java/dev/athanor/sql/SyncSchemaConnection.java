package dev.athanor.sql;

import dev.athanor.result.Result;

/**
 * The blocking form of {@link SchemaConnection}, for {@code runSync}: the engine's {@code
 * SyncConnection} is one.
 */
public interface SyncSchemaConnection {
  /** Returns the dialect statements are compiled for. */
  Dialect dialect();

  /** Runs a statement and waits for its result. */
  Result execute(Executable statement);
}
