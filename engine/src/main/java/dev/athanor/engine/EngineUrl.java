package dev.athanor.engine;

import dev.athanor.error.ArgumentException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A parsed database URL. Accepted forms:
 *
 * <ul>
 *   <li>{@code postgresql://user:password@host:port/database?option=value} (also {@code
 *       postgres://}, and {@code r2dbc:postgresql://})
 *   <li>{@code h2:mem:///name} — an in-memory H2 database that lives while the engine is open
 *   <li>{@code h2:file:///path/to/db} — an H2 database in a file (also {@code r2dbc:h2:...})
 * </ul>
 *
 * <p>The password never appears in {@link #toString()}, logs or error messages.
 */
public final class EngineUrl {
  /** The database kinds Athanor has dialects for. */
  public enum Driver {
    /** PostgreSQL over r2dbc-postgresql. */
    POSTGRESQL,
    /** H2 over r2dbc-h2. */
    H2
  }

  private final Driver driver;
  private final @Nullable String user;
  private final @Nullable String password;
  private final String host;
  private final int port;
  private final String database;
  private final boolean inMemory;
  private final Map<String, String> query;

  private EngineUrl(
      Driver driver,
      @Nullable String user,
      @Nullable String password,
      String host,
      int port,
      String database,
      boolean inMemory,
      Map<String, String> query) {
    this.driver = driver;
    this.user = user;
    this.password = password;
    this.host = host;
    this.port = port;
    this.database = database;
    this.inMemory = inMemory;
    this.query = Map.copyOf(query);
  }

  /**
   * Parses a URL.
   *
   * @throws ArgumentException naming the problem (unknown scheme, bad port, missing database)
   */
  public static EngineUrl parse(String url) {
    String u = url.trim();
    if (u.startsWith("r2dbc:")) {
      u = u.substring("r2dbc:".length());
    }
    int colon = u.indexOf(':');
    if (colon < 1) {
      throw new ArgumentException(
          "Could not parse a database URL from '"
              + redact(url)
              + "'; expected e.g. "
              + "postgresql://user@localhost:5432/db or h2:mem:///name.");
    }
    String scheme = u.substring(0, colon).toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "postgresql", "postgres" -> parsePostgres(url, u.substring(colon + 1));
      case "h2" -> parseH2(url, u.substring(colon + 1));
      default ->
          throw new ArgumentException(
              "Unknown database URL scheme '"
                  + scheme
                  + "' in '"
                  + redact(url)
                  + "'; Athanor "
                  + "supports postgresql://... and h2:mem:///... or h2:file:///... URLs.");
    };
  }

  private static EngineUrl parsePostgres(String original, String rest) {
    if (!rest.startsWith("//")) {
      throw new ArgumentException(
          "A PostgreSQL URL looks like postgresql://user:password@host:port/database, not '"
              + redact(original)
              + "'.");
    }
    rest = rest.substring(2);
    Map<String, String> query = new LinkedHashMap<>();
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = parseQuery(original, rest.substring(q + 1));
      rest = rest.substring(0, q);
    }
    String user = null;
    String password = null;
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      String cred = rest.substring(0, at);
      rest = rest.substring(at + 1);
      int c = cred.indexOf(':');
      user = decode(c >= 0 ? cred.substring(0, c) : cred);
      password = c >= 0 ? decode(cred.substring(c + 1)) : null;
    }
    int slash = rest.indexOf('/');
    String hostPort = slash >= 0 ? rest.substring(0, slash) : rest;
    String database = slash >= 0 ? decode(rest.substring(slash + 1)) : "";
    if (database.isEmpty()) {
      throw new ArgumentException(
          "The PostgreSQL URL '"
              + redact(original)
              + "' names no database; add /database "
              + "after the host.");
    }
    String host = hostPort;
    int port = 5432;
    int pc = hostPort.lastIndexOf(':');
    if (pc >= 0 && !hostPort.endsWith("]")) {
      host = hostPort.substring(0, pc);
      String p = hostPort.substring(pc + 1);
      try {
        port = Integer.parseInt(p);
      } catch (NumberFormatException e) {
        throw new ArgumentException(
            "The port '" + p + "' in '" + redact(original) + "' is not a number.");
      }
      if (port < 1 || port > 65535) {
        throw new ArgumentException(
            "The port " + port + " in '" + redact(original) + "' is out of range (1-65535).");
      }
    }
    if (host.isEmpty()) {
      host = "localhost";
    }
    return new EngineUrl(Driver.POSTGRESQL, user, password, host, port, database, false, query);
  }

  private static EngineUrl parseH2(String original, String rest) {
    Map<String, String> query = new LinkedHashMap<>();
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = parseQuery(original, rest.substring(q + 1));
      rest = rest.substring(0, q);
    }
    boolean mem;
    if (rest.startsWith("mem:")) {
      mem = true;
      rest = rest.substring(4);
    } else if (rest.startsWith("file:")) {
      mem = false;
      rest = rest.substring(5);
    } else {
      throw new ArgumentException(
          "An H2 URL is h2:mem:///name or h2:file:///path, not '" + redact(original) + "'.");
    }
    if (rest.startsWith("///")) {
      rest = mem ? rest.substring(3) : rest.substring(2);
    } else if (rest.startsWith("//")) {
      throw new ArgumentException(
          "H2 over TCP is not supported; use h2:mem:///name or h2:file:///path (got '"
              + redact(original)
              + "').");
    }
    if (rest.isEmpty() || rest.equals("/")) {
      throw new ArgumentException("The H2 URL '" + redact(original) + "' names no database.");
    }
    return new EngineUrl(
        Driver.H2, query.remove("user"), query.remove("password"), "", 0, rest, mem, query);
  }

  private static Map<String, String> parseQuery(String original, String query) {
    Map<String, String> out = new LinkedHashMap<>();
    if (query.isEmpty()) {
      return out;
    }
    for (String part : query.split("&")) {
      int eq = part.indexOf('=');
      if (eq < 1) {
        throw new ArgumentException(
            "The URL option '"
                + part
                + "' in '"
                + redact(original)
                + "' has no value; write "
                + "name=value.");
      }
      out.put(decode(part.substring(0, eq)), decode(part.substring(eq + 1)));
    }
    return out;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** Removes the password from a URL text, for messages about a URL that did not parse. */
  static String redact(String url) {
    return url.replaceAll(":[^/@]*@", ":***@").replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  /** Returns which driver the URL is for. */
  public Driver driver() {
    return driver;
  }

  /** Returns the user name, if any. */
  public @Nullable String user() {
    return user;
  }

  /** Returns the password, if any; keep it out of logs. */
  public @Nullable String password() {
    return password;
  }

  /** Returns the host (PostgreSQL). */
  public String host() {
    return host;
  }

  /** Returns the port (PostgreSQL). */
  public int port() {
    return port;
  }

  /** Returns the database name, or the H2 name or path. */
  public String database() {
    return database;
  }

  /** Returns whether this is an in-memory H2 database. */
  public boolean inMemory() {
    return inMemory;
  }

  /** Returns the options after {@code ?}, passed to the driver. */
  public Map<String, String> query() {
    return query;
  }

  /** Returns a copy with another database name (same server and credentials). */
  public EngineUrl withDatabase(String name) {
    return new EngineUrl(driver, user, password, host, port, name, inMemory, query);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    if (driver == Driver.H2) {
      sb.append("h2:").append(inMemory ? "mem:///" : "file://").append(database);
    } else {
      sb.append("postgresql://");
      if (user != null) {
        sb.append(user);
        if (password != null) {
          sb.append(":***");
        }
        sb.append('@');
      }
      sb.append(host).append(':').append(port).append('/').append(database);
    }
    if (!query.isEmpty()) {
      sb.append('?');
      int i = 0;
      for (Map.Entry<String, String> e : query.entrySet()) {
        sb.append(i++ > 0 ? "&" : "")
            .append(e.getKey())
            .append('=')
            .append(
                e.getKey().toLowerCase(Locale.ROOT).contains("password") ? "***" : e.getValue());
      }
    }
    return sb.toString();
  }
}
