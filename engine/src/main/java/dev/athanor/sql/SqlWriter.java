package dev.athanor.sql;

import dev.athanor.error.CompileException;
import java.util.List;

/**
 * Where a {@link CustomExpression} writes its SQL: text, quoted names and its parts, for one
 * dialect. Each method appends and returns this writer, so calls chain.
 */
public final class SqlWriter {
  private final Compiler compiler;
  private final List<Expression<?>> parts;

  SqlWriter(Compiler compiler, List<Expression<?>> parts) {
    this.compiler = compiler;
    this.parts = parts;
  }

  /** Returns the dialect the SQL is written for. */
  public Dialect dialect() {
    return compiler.dialect();
  }

  /** Appends SQL text as is. */
  public SqlWriter sql(String text) {
    compiler.append(text);
    return this;
  }

  /** Appends a name (a column, a table), quoted when the dialect needs it. */
  public SqlWriter identifier(String name) {
    compiler.ident(name);
    return this;
  }

  /**
   * Appends the SQL of the part at {@code index}, in parentheses when it has an operator at the
   * top, so that it reads as one operand wherever it goes; its values become bound parameters.
   *
   * @throws CompileException if there is no part at {@code index}
   */
  public SqlWriter part(int index) {
    if (index < 0 || index >= parts.size()) {
      throw new CompileException(
          "A custom expression asked for part "
              + index
              + " but was made with "
              + parts.size()
              + (parts.size() == 1 ? " part" : " parts")
              + "; pass every expression it writes to its constructor.");
    }
    compiler.operand(parts.get(index), 100);
    return this;
  }
}
