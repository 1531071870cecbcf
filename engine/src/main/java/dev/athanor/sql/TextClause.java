package dev.athanor.sql;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Literal SQL with named parameters, {@code text("SELECT * FROM users WHERE name = :name")}.
 * Parameters are {@code :name}; {@code ::} (a PostgreSQL cast) and text inside quotes are left
 * alone, and {@code \:} writes a literal colon. Values come from {@link #bind} or from the
 * execution parameters.
 */
public final class TextClause implements Executable {
  private final String text;
  private final Map<String, @Nullable Object> bound;
  private final Map<Dialect, CompiledStatement> compiled = new ConcurrentHashMap<>(2);

  TextClause(String text, Map<String, @Nullable Object> bound) {
    this.text = text;
    this.bound = bound;
  }

  /** Returns a copy with a value for a parameter. */
  public TextClause bind(String name, @Nullable Object value) {
    Map<String, @Nullable Object> b = new LinkedHashMap<>(bound);
    b.put(name, value);
    return new TextClause(text, b);
  }

  /** Returns the SQL text as written. */
  public String text() {
    return text;
  }

  /** Returns the values given with {@link #bind}. */
  public Map<String, @Nullable Object> boundValues() {
    return bound;
  }

  @Override
  public StatementShape shape() {
    return StatementShape.ofText(TextClause.class, text, 0);
  }

  @Override
  public CompiledStatement compile(
      Dialect dialect, @Nullable Set<String> parameterNames, StatementShape shape) {
    return compile(dialect);
  }

  @Override
  public CompiledStatement compile(Dialect dialect) {
    return compiled.computeIfAbsent(dialect, d -> Compiler.compileText(text, d));
  }

  @Override
  public String toString() {
    return text;
  }
}
