package dev.athanor.bench.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.util.ArrayList;
import java.util.List;

/** A row of {@code bench_parents}, with its children (loaded by a join fetch in the bench). */
@Entity
@Table(name = "bench_parents")
public class BenchParent {
  @Id public Integer id;
  public String name;

  @OneToMany(mappedBy = "parent")
  @OrderBy("id")
  public List<BenchChild> children = new ArrayList<>();
}
