package dev.athanor.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The databases behaviour tests run on: H2 always, PostgreSQL when reachable. In CI ({@code
 * CI=true} or {@code ATHANOR_REQUIRE_POSTGRES=1}) an unreachable PostgreSQL fails the tests instead
 * of skipping them; elsewhere it is skipped with a loud message.
 *
 * <p>The PostgreSQL URL is {@code ATHANOR_PG_URL}, by default {@code
 * postgresql://postgres@127.0.0.1:5432/test}.
 */
public final class TestDatabases {
  /** A database to run on: a label for test names and its URL. */
  public record Db(String name, String url) {
    /** Returns whether this is PostgreSQL. */
    public boolean isPostgres() {
      return name.equals("postgresql");
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static volatile @Nullable Boolean postgresUp;
  private static volatile boolean warned;

  private TestDatabases() {}

  /** Returns the PostgreSQL URL the tests use. */
  public static String postgresUrl() {
    String env = System.getenv("ATHANOR_PG_URL");
    return env != null && !env.isBlank() ? env : "postgresql://postgres@127.0.0.1:5432/test";
  }

  /** Returns a fresh, empty in-memory H2 database URL. */
  public static String freshH2Url() {
    return "h2:mem:///athanor_test_" + COUNTER.incrementAndGet();
  }

  /** Returns whether PostgreSQL must be there (CI). */
  public static boolean postgresRequired() {
    return "true".equalsIgnoreCase(System.getenv("CI"))
        || "1".equals(System.getenv("ATHANOR_REQUIRE_POSTGRES"))
        || Boolean.getBoolean("athanor.requirePostgres");
  }

  /**
   * Returns whether PostgreSQL is reachable.
   *
   * @throws AssertionError in CI when it is not
   */
  public static synchronized boolean postgresAvailable() {
    if (postgresUp == null) {
      URI uri = URI.create(postgresUrl().replaceFirst("^(r2dbc:)?postgres(ql)?:", "http:"));
      int port = uri.getPort() < 0 ? 5432 : uri.getPort();
      boolean up;
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(uri.getHost(), port), 2000);
        up = true;
      } catch (IOException e) {
        up = false;
      }
      postgresUp = up;
    }
    if (!postgresUp) {
      if (postgresRequired()) {
        throw new AssertionError(
            "PostgreSQL is required (CI) but not reachable at "
                + postgresUrl()
                + "; start it (pg_ctlcluster ... start) or set ATHANOR_PG_URL.");
      }
      if (!warned) {
        warned = true;
        System.err.println(
            "\n**********************************************************************\n"
                + "*  PostgreSQL is not reachable at "
                + postgresUrl()
                + "\n"
                + "*  PostgreSQL tests are SKIPPED; only H2 was tested.\n"
                + "*  CI requires PostgreSQL (CI=true / ATHANOR_REQUIRE_POSTGRES=1).\n"
                + "**********************************************************************\n");
      }
    }
    return postgresUp;
  }

  /** Returns the databases to run on: a fresh H2 database, and PostgreSQL if available. */
  public static List<Db> all() {
    List<Db> out = new ArrayList<>();
    out.add(new Db("h2", freshH2Url()));
    if (postgresAvailable()) {
      out.add(new Db("postgresql", postgresUrl()));
    }
    return out;
  }
}
