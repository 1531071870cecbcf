package dev.athanor.sql;

import java.util.Map;

/**
 * What a statement carries besides its SQL: annotations (part of its cache key) and execution
 * options (merged over the connection's when it runs).
 */
record StatementMeta(Map<String, Object> annotations, ExecutionOptions options) {
  static final StatementMeta NONE = new StatementMeta(Map.of(), ExecutionOptions.DEFAULTS);

  StatementMeta annotate(Map<String, Object> more) {
    return more.isEmpty()
        ? this
        : new StatementMeta(Coercions.annotate(annotations, more), options);
  }

  StatementMeta with(ExecutionOptions replaced) {
    return new StatementMeta(annotations, replaced);
  }

  StatementMeta options(ExecutionOptions more) {
    return new StatementMeta(annotations, options.merge(more));
  }
}
