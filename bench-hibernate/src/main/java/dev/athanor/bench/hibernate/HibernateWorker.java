package dev.athanor.bench.hibernate;

import dev.athanor.bench.Measure;
import dev.athanor.bench.Sample;
import dev.athanor.bench.Workload;
import dev.athanor.bench.Workloads;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The Hibernate Reactive side of the benchmark, in a JVM of its own. Arguments: host port database
 * user poolSize eventLoops [transaction|session] (how {@code find} runs). Reads {@code run
 * <workload> <millis>} lines, measures with the shared harness, answers each with one {@code SAMPLE
 * ...} line; {@code quit} ends it.
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
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      System.out.println("READY");
      System.out.flush();
      for (String line; (line = in.readLine()) != null; ) {
        String[] p = line.trim().split(" ");
        if (p[0].equals("quit")) {
          break;
        }
        Workload w =
            Workloads.INSTANCE.all().stream()
                .filter(x -> x.getName().equals(p[1]))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no workload " + p[1]));
        Sample s =
            Measure.INSTANCE.run(
                w.getConcurrency(),
                Long.parseLong(p[2]),
                i -> w.getOp().invoke(hr, i),
                w.getUnitsOf());
        System.out.println("SAMPLE " + s.toLine());
        System.out.flush();
      }
    } finally {
      hr.close();
    }
  }
}
