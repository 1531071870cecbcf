package dev.athanor.sql;

import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A statement a connection can execute: {@link Select}, {@link CompoundSelect}, {@link Insert},
 * {@link Update}, {@link Delete}, {@link TextClause}, and DDL.
 */
public sealed interface Executable permits Statement, TextClause, DriverSql {
  /**
   * Returns this statement's shape: the key it is cached under and the values it carries. Every
   * execution takes it once.
   */
  StatementShape shape();

  /**
   * Compiles the statement for a dialect. {@code parameterNames} are the parameter names of the
   * execution (an INSERT or UPDATE without explicit values takes its columns from them; ignored
   * unless {@link #compilesPerParameters()}); {@code shape} is this statement's {@link #shape()}.
   */
  CompiledStatement compile(
      Dialect dialect, @Nullable Set<String> parameterNames, StatementShape shape);

  /** Compiles the statement for a dialect. */
  default CompiledStatement compile(Dialect dialect) {
    return compile(dialect, null, shape());
  }

  /**
   * Compiles the statement for a dialect and the parameter names of an execution; an INSERT or
   * UPDATE without explicit values takes its columns from them.
   */
  default CompiledStatement compile(Dialect dialect, Set<String> parameterNames) {
    return compile(dialect, parameterNames, shape());
  }

  /** Returns the statement's annotations (who built it, for which entity); none by default. */
  default java.util.Map<String, Object> annotations() {
    return java.util.Map.of();
  }

  /**
   * Returns the execution options the statement carries; a connection lays them over its own and
   * under those of the call.
   */
  default ExecutionOptions getExecutionOptions() {
    return ExecutionOptions.DEFAULTS;
  }

  /** Returns whether the compiled SQL depends on the execution's parameter names. */
  default boolean compilesPerParameters() {
    return false;
  }

  /**
   * Returns the columns of the rows this statement returns (the selected or RETURNING expressions),
   * position by position; empty when not known in advance.
   */
  default List<Expression<?>> resultColumns() {
    return List.of();
  }
}
