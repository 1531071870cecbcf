package dev.athanor.bench.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code bench_counters}. */
@Entity
@Table(name = "bench_counters")
public class BenchCounter {
  @Id public Integer id;
  public Long n;
}
