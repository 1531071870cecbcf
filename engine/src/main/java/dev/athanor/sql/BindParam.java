package dev.athanor.sql;

/**
 * A named parameter whose value is given when the statement is executed ({@code conn.execute(stmt,
 * Map.of("name", value))}). Build once, run many times.
 *
 * @param <T> the parameter's Java type
 */
public final class BindParam<T> extends Expression<T> {
  final String name;
  private final SqlType<T> type;

  BindParam(String name, SqlType<T> type) {
    if (name.isEmpty()) {
      throw new dev.athanor.error.ArgumentException("a bind parameter needs a name");
    }
    this.name = name;
    this.type = type;
  }

  /** Returns the parameter's name. */
  public String name() {
    return name;
  }

  @Override
  public SqlType<T> type() {
    return type;
  }

  @Override
  public String keyName() {
    return name;
  }

  @Override
  void shape(StatementShape.Builder k) {
    k.token(name).token(type);
  }

  @Override
  void compile(Compiler c) {
    c.bindNamed(name, type);
  }
}
