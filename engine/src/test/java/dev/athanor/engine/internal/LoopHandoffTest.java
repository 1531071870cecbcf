package dev.athanor.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.util.concurrent.DefaultEventExecutor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoopHandoffTest {
  @Test
  void onAnEventLoopTheTaskRunsOnceTheCurrentTaskIsDone() throws Exception {
    DefaultEventExecutor loop = new DefaultEventExecutor();
    try {
      List<String> order = new CopyOnWriteArrayList<>();
      List<Thread> ranOn = new CopyOnWriteArrayList<>();
      loop.submit(
              () -> {
                order.add("rows arrived");
                LoopHandoff.INSTANCE.execute(() -> {
                  order.add("reader's work");
                  ranOn.add(Thread.currentThread());
                });
                order.add("driver reads on");
                ranOn.add(Thread.currentThread());
              })
          .sync();
      loop.submit(() -> {}).sync(); // after the queued hand-over
      assertEquals(List.of("rows arrived", "driver reads on", "reader's work"), order);
      assertEquals(ranOn.get(0), ranOn.get(1), "the same event loop thread");
    } finally {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  @Test
  void offAnEventLoopTheTaskRunsAtOnce() {
    List<String> order = new CopyOnWriteArrayList<>();
    LoopHandoff.INSTANCE.execute(() -> order.add("reader's work"));
    order.add("after");
    assertEquals(List.of("reader's work", "after"), order);
  }

  @Test
  void onALoopThatIsShuttingDownTheTaskRunsAtOnce() throws Exception {
    DefaultEventExecutor loop = new DefaultEventExecutor();
    List<String> order = new CopyOnWriteArrayList<>();
    loop.submit(
            () -> {
              loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
              LoopHandoff.INSTANCE.execute(() -> order.add("reader's work"));
              order.add("after");
            })
        .sync();
    loop.terminationFuture().sync();
    assertEquals(List.of("reader's work", "after"), order, "not lost with the loop's queue");
  }
}
