package dev.athanor.engine;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's echo logging (SQLAlchemy's {@code echo=True}) and the rendering of its parameters
 * for logs and errors, hidden when the engine says so.
 */
final class ConnectionEcho {
  private static final Logger ECHO = LoggerFactory.getLogger("dev.athanor.engine");

  private final Engine engine;
  private final long id;

  ConnectionEcho(Engine engine, long id) {
    this.engine = engine;
    this.id = id;
  }

  /** Logs a statement with its parameter sets, if the engine echoes. */
  void echo(String sql, @Nullable List<Map<String, @Nullable Object>> sets) {
    if (engine.echo() && ECHO.isInfoEnabled()) {
      if (sets == null || (sets.size() == 1 && sets.get(0).isEmpty())) {
        ECHO.info("[conn {}] {}", id, sql);
      } else {
        String params = paramsText(sets);
        ECHO.info("[conn {}] {}\n[parameters: {}]", id, sql, params == null ? "hidden" : params);
      }
    }
  }

  /** Returns the parameters as text (cut at 2,000 characters), or {@code null} when hidden. */
  @Nullable String paramsText(List<Map<String, @Nullable Object>> sets) {
    if (engine.options().hideParameters()) {
      return null;
    }
    String s = sets.size() == 1 ? String.valueOf(sets.get(0)) : String.valueOf(sets);
    return s.length() > 2000 ? s.substring(0, 2000) + "... (" + sets.size() + " sets)" : s;
  }
}
