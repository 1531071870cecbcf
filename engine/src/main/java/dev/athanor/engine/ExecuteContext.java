package dev.athanor.engine;

import dev.athanor.sql.Executable;
import dev.athanor.sql.ExecutionOptions;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What listeners see of one statement execution. */
public final class ExecuteContext {
  private final Connection connection;
  private final Executable statement;
  private final String sql;
  private final List<Map<String, @Nullable Object>> parameters;
  private final ExecutionOptions options;
  private long rowcount = -1;
  private @Nullable Throwable error;

  ExecuteContext(
      Connection connection,
      Executable statement,
      String sql,
      List<Map<String, @Nullable Object>> parameters,
      ExecutionOptions options) {
    this.connection = connection;
    this.statement = statement;
    this.sql = sql;
    this.parameters = parameters;
    this.options = options;
  }

  /**
   * Returns the execution options in force for this statement: the engine's, the connection's and
   * the call's, merged (the program's own keys included).
   */
  public ExecutionOptions executionOptions() {
    return options;
  }

  /** Returns the connection the statement runs on. */
  public Connection connection() {
    return connection;
  }

  /** Returns the statement as the program gave it. */
  public Executable statement() {
    return statement;
  }

  /** Returns the SQL sent to the database. */
  public String sql() {
    return sql;
  }

  /** Returns the parameter sets (more than one for an executemany). */
  public List<Map<String, @Nullable Object>> parameters() {
    return parameters;
  }

  /** Returns whether this runs one statement for several parameter sets. */
  public boolean executemany() {
    return parameters.size() > 1;
  }

  /** Returns the row count after execution, or -1. */
  public long rowcount() {
    return rowcount;
  }

  /** Returns the error, in {@link EngineListener#onError}. */
  public @Nullable Throwable error() {
    return error;
  }

  void rowcount(long n) {
    rowcount = n;
  }

  void error(Throwable t) {
    error = t;
  }
}
