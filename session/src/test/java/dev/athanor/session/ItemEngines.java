package dev.athanor.session;

import dev.athanor.engine.Engine;
import dev.athanor.testkit.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Engines for the session's cancellation tests over {@link CancelledLoadTest}'s tables: each made
 * with fresh tables holding the given items, and all disposed by {@link #disposeAll()} (a test
 * class's {@code @AfterAll}).
 */
final class ItemEngines {
  private final List<Engine> engines = new CopyOnWriteArrayList<>();

  /**
   * Returns a new engine on {@code db} whose tables were dropped, created and given {@code items}.
   */
  Engine create(TestDatabases.Db db, List<CancelledLoadTest.Item> items) {
    Engine engine = Engine.create(db.url());
    engines.add(engine);
    engine
        .begin(c ->
            CancelledLoadTest.registry()
                .metadata()
                .dropAll(c)
                .then(CancelledLoadTest.registry().metadata().createAll(c)))
        .block();
    Session writer = new Session(engine);
    items.forEach(writer::add);
    writer.commit().then(writer.close()).block();
    return engine;
  }

  /** Items 1 to {@code n}, named "i1" to "i{@code n}". */
  static List<CancelledLoadTest.Item> numbered(int n) {
    List<CancelledLoadTest.Item> items = new ArrayList<>(n);
    for (long i = 1; i <= n; i++) {
      items.add(new CancelledLoadTest.Item(i, "i" + i));
    }
    return items;
  }

  /** Disposes every engine made here. */
  void disposeAll() {
    for (Engine e : engines) {
      e.dispose().block();
    }
  }
}
