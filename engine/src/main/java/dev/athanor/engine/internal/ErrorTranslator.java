package dev.athanor.engine.internal;

import dev.athanor.error.AthanorException;
import dev.athanor.error.DataException;
import dev.athanor.error.DatabaseException;
import dev.athanor.error.DisconnectException;
import dev.athanor.error.IntegrityException;
import dev.athanor.error.OperationalException;
import dev.athanor.error.PoolTimeoutException;
import dev.athanor.error.ProgrammingException;
import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcPermissionDeniedException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Wraps driver errors into the typed hierarchy, with the SQL and parameters that caused them. */
public final class ErrorTranslator {
  private static final Pattern H2_CONSTRAINT =
      Pattern.compile("violation: \"(?:[A-Za-z0-9_]+\\.)?([A-Za-z0-9_]+)[: ]");

  private ErrorTranslator() {}

  /** Returns whether the error means the connection is gone. */
  public static boolean isDisconnect(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof DisconnectException) {
        return true;
      }
      if (reactor.core.Exceptions.isMultiple(c)) {
        for (Throwable one : reactor.core.Exceptions.unwrapMultiple(c)) {
          if (one != c && isDisconnect(one)) {
            return true;
          }
        }
      }
      String name = c.getClass().getName();
      String msg = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
      if (name.contains("ConnectionClosed")
          || name.contains("ClosedChannel")
          || name.contains("NativeIoException")
          || msg.contains("connection closed")
          || msg.contains("connection is closed")
          || msg.contains("connection unexpectedly closed")
          || msg.contains("terminating connection")
          || msg.contains("connection reset")) {
        return true;
      }
      if (c instanceof R2dbcException r) {
        String state = r.getSqlState();
        if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Translates an error from running {@code sql}.
   *
   * @param params the parameters rendered for messages, or {@code null} to hide them
   */
  public static Throwable translate(
      Throwable t, @Nullable String sql, @Nullable String params, boolean invalidated) {
    if (reactor.core.Exceptions.isMultiple(t)) {
      // Several failures of one operation (a pipelined BEGIN and its statement; a clean-up after
      // a failure): report the lost connection if that is what happened, else the first.
      List<Throwable> all = reactor.core.Exceptions.unwrapMultiple(t);
      Throwable pick = all.isEmpty() ? t : all.get(0);
      for (Throwable one : all) {
        if (isDisconnect(one)) {
          pick = one;
          break;
        }
      }
      if (pick != t) {
        Throwable out = translate(pick, sql, params, invalidated || isDisconnect(pick));
        for (Throwable one : all) {
          if (one != pick) {
            out.addSuppressed(one);
          }
        }
        return out;
      }
    }
    if (t instanceof AthanorException) {
      return t;
    }
    if (t instanceof TimeoutException
        || (t.getCause() instanceof TimeoutException && sql == null)) {
      return new PoolTimeoutException(
          "Timed out waiting for a pooled connection; raise poolSize/maxOverflow or poolTimeout, "
              + "or look for connections that are never closed.",
          t);
    }
    if (!(t instanceof R2dbcException) && !isDisconnect(t)) {
      return t;
    }
    String state = t instanceof R2dbcException r ? r.getSqlState() : null;
    String constraint = constraintName(t);
    boolean disconnect = isDisconnect(t);
    StringBuilder m = new StringBuilder();
    String kind;
    if (disconnect) {
      kind = "DisconnectException";
    } else if (t instanceof R2dbcDataIntegrityViolationException || startsWith(state, "23")) {
      kind = "IntegrityException";
    } else if (startsWith(state, "22")) {
      kind = "DataException";
    } else if (t instanceof R2dbcBadGrammarException
        || t instanceof R2dbcPermissionDeniedException
        || startsWith(state, "42")) {
      kind = "ProgrammingException";
    } else {
      kind = "OperationalException";
    }
    String driverMessage = String.valueOf(t.getMessage());
    if (params == null && sql != null) {
      // H2 repeats the offending row's values in its message.
      driverMessage = driverMessage.replaceAll("VALUES \\(.*\\)\"", "VALUES (hidden)\"");
    }
    m.append('(').append(kind).append(") ").append(driverMessage);
    if (disconnect) {
      m.append("\nThe connection was lost and ")
          .append(invalidated ? "has been invalidated" : "will be discarded")
          .append("; the transaction is gone. Run the operation again on a new connection.");
    }
    if ("25P02".equals(state)) {
      m.append(
          "\nAn earlier statement of this transaction failed, so the server ignores every "
              + "statement until the transaction ends: call rollback() (or let the begin { } "
              + "block end), then run the work again.");
    }
    if (sql != null) {
      m.append("\n[SQL: ").append(sql).append(']');
      m.append("\n[parameters: ").append(params != null ? params : "hidden").append(']');
    }
    String msg = m.toString();
    return switch (kind) {
      case "DisconnectException" ->
          new DisconnectException(msg, t, sql, params, state, constraint, invalidated);
      case "IntegrityException" ->
          new IntegrityException(msg, t, sql, params, state, constraint, invalidated);
      case "DataException" ->
          new DataException(msg, t, sql, params, state, constraint, invalidated);
      case "ProgrammingException" ->
          new ProgrammingException(msg, t, sql, params, state, constraint, invalidated);
      default -> new OperationalException(msg, t, sql, params, state, constraint, invalidated);
    };
  }

  private static boolean startsWith(@Nullable String s, String prefix) {
    return s != null && s.startsWith(prefix);
  }

  private static @Nullable String constraintName(Throwable t) {
    if (t instanceof io.r2dbc.postgresql.api.PostgresqlException p) {
      return p.getErrorDetails().getConstraintName().orElse(null);
    }
    String msg = t.getMessage();
    if (msg != null) {
      Matcher m = H2_CONSTRAINT.matcher(msg);
      if (m.find()) {
        return m.group(1).toLowerCase(Locale.ROOT);
      }
    }
    return null;
  }

  /** Returns an error that is not an {@link AthanorException} as a generic database error. */
  public static DatabaseException generic(Throwable t) {
    return new OperationalException(
        "(OperationalException) " + t.getMessage(), t, null, null, null, null, false);
  }
}
