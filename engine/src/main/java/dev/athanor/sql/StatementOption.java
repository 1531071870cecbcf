package dev.athanor.sql;

/**
 * An option a layer above the Core gives a SELECT through {@link Select#options} (the ORM's loader
 * options, {@code selectinload}): it says what it adds to the statement's execution options, where
 * the layer that runs the statement finds it.
 */
@FunctionalInterface
public interface StatementOption {
  /** Returns {@code options} with this option added. */
  ExecutionOptions addTo(ExecutionOptions options);
}
