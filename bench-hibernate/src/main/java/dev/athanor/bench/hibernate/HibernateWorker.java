package dev.athanor.bench.hibernate;

import dev.athanor.bench.WorkerLoop;
import java.util.List;

/**
 * The Hibernate Reactive side of the benchmark, in a JVM of its own. Arguments: host port database
 * user poolSize eventLoops [transaction|session] (how {@code find} runs). Served by the shared
 * {@link WorkerLoop}, as the other competitors' worker JVMs are.
 */
public final class HibernateWorker {
  private HibernateWorker() {}

  public static void main(String[] args) throws Exception {
    HibernateReactive hr =
        new HibernateReactive(
            args[0],
            Integer.parseInt(args[1]),
            args[2],
            args[3],
            Integer.parseInt(args[4]),
            Integer.parseInt(args[5]),
            args.length < 7 || !args[6].equals("session"));
    try {
      WorkerLoop.serve(List.of(hr));
    } finally {
      hr.close();
    }
  }
}
