package dev.athanor.bench.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code bench_insert}. */
@Entity
@Table(name = "bench_insert")
public class BenchInsert {
  @Id public Integer id;
  public String name;

  public BenchInsert() {}

  BenchInsert(int id, String name) {
    this.id = id;
    this.name = name;
  }
}
