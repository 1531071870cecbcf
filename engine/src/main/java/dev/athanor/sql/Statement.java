package dev.athanor.sql;

/** The base of the built statements; compiled through a {@link Compiler}. */
public abstract sealed class Statement extends SqlNode implements Executable
    permits Select, CompoundSelect, Insert, Update, Delete, Ddl {
  Statement() {}

  @Override
  public CompiledStatement compile(Dialect dialect) {
    return Compiler.compile(this, dialect);
  }

  @Override
  public CompiledStatement compile(Dialect dialect, java.util.Set<String> parameterNames) {
    return Compiler.compile(this, dialect, parameterNames);
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
