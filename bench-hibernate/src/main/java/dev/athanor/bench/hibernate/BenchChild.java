package dev.athanor.bench.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** A row of {@code bench_children}: its parent is a many-to-one on {@code parent_id}. */
@Entity
@Table(name = "bench_children")
public class BenchChild {
  @Id public Integer id;

  @ManyToOne(fetch = FetchType.LAZY)
  @JoinColumn(name = "parent_id")
  public BenchParent parent;

  public String name;
}
