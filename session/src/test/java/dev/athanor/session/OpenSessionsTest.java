package dev.athanor.session;

import static org.junit.jupiter.api.Assertions.*;

import dev.athanor.engine.Engine;
import dev.athanor.testkit.TestDatabases;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The registry behind closeAll and objectSession: closed sessions leave, dropped ones are freed.
 */
class OpenSessionsTest {
  @Test
  void closedSessionsLeaveAndDroppedOnesAreNotKeptAlive() throws Exception {
    Engine engine = Engine.create(TestDatabases.freshH2Url());
    try {
      Session kept = new Session(engine);
      Session closed = new Session(engine);
      assertTrue(OpenSessions.all().contains(kept));
      assertTrue(OpenSessions.all().contains(closed));
      closed.close().block();
      assertFalse(OpenSessions.all().contains(closed));
      assertTrue(OpenSessions.all().contains(kept));

      int before = OpenSessions.size();
      List<WeakReference<Session>> dropped = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        dropped.add(new WeakReference<>(new Session(engine)));
      }
      for (int i = 0; i < 50 && dropped.stream().anyMatch(r -> r.get() != null); i++) {
        System.gc();
        Thread.sleep(10);
      }
      // The registry holds them weakly: unclosed and unreachable, they were collected.
      assertTrue(dropped.stream().allMatch(r -> r.get() == null), "a dropped session stayed");
      // And their entries go at the next use of the registry, once the collector reports them.
      for (int i = 0; i < 50 && OpenSessions.size() > before; i++) {
        OpenSessions.all();
        Thread.sleep(10);
      }
      assertEquals(before, OpenSessions.size());
      assertTrue(OpenSessions.all().contains(kept));
      kept.close().block();
      assertFalse(OpenSessions.all().contains(kept));
    } finally {
      engine.dispose().block();
    }
  }
}
