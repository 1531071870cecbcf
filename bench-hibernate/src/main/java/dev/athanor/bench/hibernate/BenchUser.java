package dev.athanor.bench.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code bench_users}. */
@Entity
@Table(name = "bench_users")
public class BenchUser {
  @Id public Integer id;
  public String name;
  public String email;
}
