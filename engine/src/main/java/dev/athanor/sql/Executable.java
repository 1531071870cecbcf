package dev.athanor.sql;

/**
 * A statement a connection can execute: {@link Select}, {@link CompoundSelect}, {@link Insert},
 * {@link Update}, {@link Delete}, {@link TextClause}, and DDL.
 */
public sealed interface Executable permits Statement, TextClause, DriverSql {
  /** Compiles the statement for a dialect. */
  CompiledStatement compile(Dialect dialect);

  /**
   * Compiles the statement for a dialect and the parameter names of an execution; an INSERT or
   * UPDATE without explicit values takes its columns from them.
   */
  default CompiledStatement compile(Dialect dialect, java.util.Set<String> parameterNames) {
    return compile(dialect);
  }

  /** Returns whether the compiled SQL depends on the execution's parameter names. */
  default boolean compilesPerParameters() {
    return false;
  }
}
