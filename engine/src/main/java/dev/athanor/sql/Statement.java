package dev.athanor.sql;

/** The base of the built statements; compiled through a {@link Compiler}. */
public abstract sealed class Statement extends SqlNode implements Executable
    permits Select, CompoundSelect, Insert, Update, Delete, Ddl {
  final StatementMeta meta;

  Statement(StatementMeta meta) {
    this.meta = meta;
  }

  /**
   * Returns the annotations this statement carries: set with {@code annotate(key, value)} or taken
   * from the sources it selects (an ORM's mapped class names its entity). They take part in the
   * cache key.
   */
  @Override
  public java.util.Map<String, Object> annotations() {
    return meta.annotations();
  }

  /** Returns the execution options this statement carries (set with {@code executionOptions}). */
  @Override
  public ExecutionOptions getExecutionOptions() {
    return meta.options();
  }

  /** The shape, taken once: a statement is immutable, and one built once may run many times. */
  private volatile @org.jspecify.annotations.Nullable StatementShape shape;

  @Override
  public StatementShape shape() {
    StatementShape s = shape;
    if (s == null) {
      s = StatementShape.of(this);
      shape = s;
    }
    return s;
  }

  @Override
  public CompiledStatement compile(
      Dialect dialect,
      java.util.@org.jspecify.annotations.Nullable Set<String> parameterNames,
      StatementShape shape) {
    return Compiler.compile(this, dialect, compilesPerParameters() ? parameterNames : null, shape);
  }

  @Override
  public boolean compilesPerParameters() {
    return switch (this) {
      case Insert i -> i.rows.isEmpty() && i.fromSelect == null;
      case Update u -> u.values.isEmpty();
      default -> false;
    };
  }
}
