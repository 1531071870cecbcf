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

  /**
   * A PostgreSQL primary and a hot standby streaming from it, for routing tests: started by {@code
   * scripts/pg-replica.sh start} (which {@code .ci/run} does), on ports of their own.
   *
   * @param primaryUrl the primary (writes)
   * @param standbyUrl the hot standby (reads only)
   */
  public record Replica(String primaryUrl, String standbyUrl) {}

  private static volatile @Nullable Boolean replicaUp;
  private static volatile boolean replicaWarned;

  /**
   * Returns the replica pair, or {@code null} (with a loud message) when it is not running; in CI a
   * missing replica fails instead.
   *
   * <p>URLs: {@code ATHANOR_REPLICA_PRIMARY_URL} (default {@code
   * postgresql://postgres@127.0.0.1:5491/test}) and {@code ATHANOR_REPLICA_STANDBY_URL} (default
   * port 5492).
   */
  public static synchronized @Nullable Replica replica() {
    Replica r =
        new Replica(
            env("ATHANOR_REPLICA_PRIMARY_URL", "postgresql://postgres@127.0.0.1:5491/test"),
            env("ATHANOR_REPLICA_STANDBY_URL", "postgresql://postgres@127.0.0.1:5492/test"));
    if (replicaUp == null) {
      replicaUp = reachable(r.primaryUrl(), 5491) && reachable(r.standbyUrl(), 5492);
    }
    if (replicaUp) {
      return r;
    }
    if (postgresRequired()) {
      throw new AssertionError(
          "The PostgreSQL replica pair is required (CI) but not reachable at "
              + r.primaryUrl()
              + " and "
              + r.standbyUrl()
              + "; start it with scripts/pg-replica.sh start.");
    }
    if (!replicaWarned) {
      replicaWarned = true;
      System.err.println(
          "\n**********************************************************************\n"
              + "*  No PostgreSQL primary/standby pair at "
              + r.primaryUrl()
              + " / "
              + r.standbyUrl()
              + "\n*  Routing tests against a real replica are SKIPPED.\n"
              + "*  Start one with: scripts/pg-replica.sh start  (stop: ... stop)\n"
              + "**********************************************************************\n");
    }
    return null;
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v != null && !v.isBlank() ? v : fallback;
  }

  private static boolean reachable(String url, int defaultPort) {
    URI uri = URI.create(url.replaceFirst("^(r2dbc:)?postgres(ql)?:", "http:"));
    int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(uri.getHost(), port), 2000);
      return true;
    } catch (IOException e) {
      return false;
    }
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
