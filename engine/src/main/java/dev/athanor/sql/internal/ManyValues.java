package dev.athanor.sql.internal;

import dev.athanor.sql.CompiledStatement;
import dev.athanor.sql.Dialect;
import dev.athanor.sql.Insert;
import dev.athanor.sql.StatementShape;
import dev.athanor.sql.Update;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The engine's way to compile an executemany INSERT with several rows of {@code VALUES}
 * (SQLAlchemy's "insertmanyvalues"), which is not a user's operation: {@link Insert} installs the
 * compiler here when it loads.
 */
public final class ManyValues {
  /** Compiles an INSERT without values of its own for {@code rows} parameter sets per statement. */
  @FunctionalInterface
  public interface Compiler {
    /** See {@link ManyValues#compile}. */
    CompiledStatement compile(
        Insert insert, Dialect dialect, Set<String> parameterNames, StatementShape shape, int rows);
  }

  /** Compiles an executemany UPDATE by primary key as {@code UPDATE ... FROM (VALUES ...)}. */
  public interface UpdateCompiler {
    /** See {@link ManyValues#updateKeys}. */
    @Nullable List<String> keys(Update update);

    /** See {@link ManyValues#compileUpdate}. */
    CompiledStatement compile(
        Update update, Dialect dialect, Set<String> parameterNames, StatementShape shape, int rows);
  }

  private static volatile @Nullable Compiler compiler;
  private static volatile @Nullable UpdateCompiler updateCompiler;

  private ManyValues() {}

  /** Installs the UPDATE compiler; called once, by {@link Update}. */
  public static void installUpdate(UpdateCompiler c) {
    updateCompiler = c;
  }

  /**
   * The parameter names of an UPDATE's WHERE when it can be sent with rows of VALUES (it sets
   * columns from parameters and matches one row by its whole primary key), else {@code null}.
   */
  public static @Nullable List<String> updateKeys(Update update) {
    return updater().keys(update);
  }

  /**
   * Compiles an UPDATE of {@link #updateKeys} shape for {@code rows} parameter sets as one {@code
   * UPDATE ... FROM (VALUES ...)} statement (PostgreSQL).
   */
  public static CompiledStatement compileUpdate(
      Update update, Dialect dialect, Set<String> parameterNames, StatementShape shape, int rows) {
    return updater().compile(update, dialect, parameterNames, shape, rows);
  }

  private static UpdateCompiler updater() {
    UpdateCompiler c = updateCompiler;
    if (c == null) {
      // An Update exists, so its class has loaded and installed the compiler.
      throw new IllegalStateException("Update did not install its many-values compiler");
    }
    return c;
  }

  /** Installs the compiler; called once, by {@link Insert}. */
  public static void install(Compiler c) {
    compiler = c;
  }

  /**
   * Compiles {@code insert}, which carries no values, as {@code VALUES (...), (...), ...} with
   * {@code rows} rows whose slots repeat the parameter names; a RETURNING clause returns one row
   * per set, in their order.
   */
  public static CompiledStatement compile(
      Insert insert, Dialect dialect, Set<String> parameterNames, StatementShape shape, int rows) {
    Compiler c = compiler;
    if (c == null) {
      // An Insert exists, so its class has loaded and installed the compiler.
      throw new IllegalStateException("Insert did not install its many-values compiler");
    }
    return c.compile(insert, dialect, parameterNames, shape, rows);
  }
}
