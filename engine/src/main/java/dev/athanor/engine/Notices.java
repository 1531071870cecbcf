package dev.athanor.engine;

import io.r2dbc.spi.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server notices and warnings (PostgreSQL's {@code NOTICE}, {@code WARNING}, {@code INFO}): not
 * errors. The statement that raised one succeeds; the notice is logged through SLF4J logger {@code
 * dev.athanor.engine.notice} (a warning at WARN, the rest at INFO).
 */
final class Notices {
  private static final Logger LOG = LoggerFactory.getLogger("dev.athanor.engine.notice");

  private Notices() {}

  /** Returns whether a result message is a notice rather than an error. */
  static boolean isNotice(Result.Message m) {
    String state = m.sqlState();
    // SQLSTATE classes 00 (success) and 01 (warning) are what the server sends with a notice; the
    // driver marks its notice segments by class name, which is the surer test.
    return m.getClass().getSimpleName().contains("Notice")
        || (state != null && (state.startsWith("00") || state.startsWith("01")));
  }

  static void log(Connection c, Result.Message m) {
    String state = m.sqlState();
    if (state != null && state.startsWith("01")) {
      LOG.warn("[{}] {} (SQLSTATE {})", c, m.message(), state);
    } else if (LOG.isInfoEnabled()) {
      LOG.info("[{}] {} (SQLSTATE {})", c, m.message(), state);
    }
  }
}
