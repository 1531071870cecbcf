package dev.athanor.engine;

import static org.junit.jupiter.api.Assertions.*;

import dev.athanor.error.ArgumentException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineUrlTest {
  @Test
  void parsesPostgresUrls() {
    EngineUrl u =
        EngineUrl.parse("postgresql://scott:t%40ger@db.example:6543/app?applicationName=svc");
    assertEquals(EngineUrl.Driver.POSTGRESQL, u.driver());
    assertEquals("scott", u.user());
    assertEquals("t@ger", u.password());
    assertEquals("db.example", u.host());
    assertEquals(6543, u.port());
    assertEquals("app", u.database());
    assertEquals(Map.of("applicationName", "svc"), u.query());
    assertEquals("postgresql://scott:***@db.example:6543/app?applicationName=svc", u.toString());
    assertEquals(5432, EngineUrl.parse("r2dbc:postgres://h/db").port());
  }

  @Test
  void parsesH2Urls() {
    EngineUrl mem = EngineUrl.parse("h2:mem:///testdb");
    assertTrue(mem.inMemory());
    assertEquals("testdb", mem.database());
    EngineUrl file = EngineUrl.parse("r2dbc:h2:file:///tmp/data/db");
    assertFalse(file.inMemory());
    assertEquals("/tmp/data/db", file.database());
  }

  @Test
  void badUrlsNameTheProblemAndNeverThePassword() {
    String[] bad = {
      "mysql://u:pw@h/db",
      "postgresql://u:pw@h:99999/db",
      "postgresql:u:pw@h/db",
      "nothing",
      "h2:tcp://x/db",
      "h2:mem:///",
      "postgresql://u:pw@h/db?flag"
    };
    for (String url : bad) {
      ArgumentException e = assertThrows(ArgumentException.class, () -> EngineUrl.parse(url), url);
      assertFalse(e.getMessage().contains("pw@"), e.getMessage());
    }
  }

  @Test
  void optionsFromConfigAcceptSnakeAndCamelCase() {
    EngineOptions o =
        EngineOptions.fromConfig(
            Map.of(
                "x.poolSize",
                7,
                "x.pool_timeout",
                "2.5",
                "x.poolclass",
                "none",
                "x.yield_per",
                "50",
                "x.echo",
                "yes"),
            "x.");
    assertEquals(7, o.poolSize());
    assertEquals(Duration.ofMillis(2500), o.poolTimeout());
    assertFalse(o.pooled());
    assertEquals(50, o.executionOptions().yieldPer());
    assertTrue(o.echo());
    ArgumentException e =
        assertThrows(
            ArgumentException.class,
            () -> EngineOptions.fromConfig(Map.of("x.pool_size", "many"), "x."));
    assertTrue(e.getMessage().contains("x.pool_size"));
  }
}
