package dev.athanor.examples;

import static dev.athanor.sql.Sql.select;

import dev.athanor.engine.EngineOptions;
import dev.athanor.java.AsyncEngine;
import dev.athanor.java.AsyncSession;
import dev.athanor.java.AsyncSessionMaker;
import dev.athanor.session.Attribute;
import dev.athanor.session.Column;
import dev.athanor.session.Entity;
import dev.athanor.session.Id;
import dev.athanor.session.Loaders;
import dev.athanor.session.Mapper;
import dev.athanor.session.Registry;
import dev.athanor.session.Relationship;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The ORM example of SQLAlchemy's asyncio documentation, in Java over {@code CompletionStage}s:
 * objects added in one transaction, queried with their related objects ({@code selectinload}),
 * changed and committed; values read after the commit without IO; a server-default timestamp loaded
 * by the flush itself.
 *
 * <p>Runs on embedded H2 by default; pass a URL as the first argument (or set ATHANOR_URL) to run
 * on PostgreSQL.
 */
public final class OrmBasicJava {
  /** A parent row, with a creation time the database fills in. */
  @Entity(table = "ja")
  public static final class A {
    @Id private Long id;

    @Column(nullable = false)
    private String data;

    @Column(serverDefault = "CURRENT_TIMESTAMP")
    private OffsetDateTime createDate;

    /** Its Bs, loaded with the query that loads it ({@code selectinload}). */
    @Relationship(viewOnly = true)
    private List<B> bs;

    private A() {}

    A(String data) {
      this.data = data;
    }

    @Override
    public String toString() {
      return "A(id=" + id + ", data=" + data + ")";
    }
  }

  /** A child row of an {@link A}. */
  @Entity(table = "jb")
  public static final class B {
    @Id private Long id;

    @Column(nullable = false, references = "ja.id")
    private Long aId;

    private String data;

    private B() {}

    B(Long aId, String data) {
      this.aId = aId;
      this.data = data;
    }

    @Override
    public String toString() {
      return "B(id=" + id + ", data=" + data + ")";
    }
  }

  // The mappings, made once per JVM (a class is mapped once), and typed attributes for queries.
  private static final Registry REGISTRY = new Registry();
  private static final Mapper<A> AS = REGISTRY.map(A.class);
  private static final Mapper<B> BS = REGISTRY.map(B.class);
  private static final Attribute<A, Long> A_ID = AS.attribute("id");

  private OrmBasicJava() {}

  /** Runs the example. */
  public static void main(String[] args) {
    String url =
        args.length > 0
            ? args[0]
            : System.getenv().getOrDefault("ATHANOR_URL", "h2:mem:///orm_example_java");
    AsyncEngine engine = AsyncEngine.create(url, EngineOptions.defaults());
    try {
      engine
          .begin(conn ->
              conn.dropAll(REGISTRY.metadata())
                  .thenCompose(v -> conn.createAll(REGISTRY.metadata())))
          .thenCompose(v -> insertObjects(AsyncSessionMaker.of(engine, false, true)))
          .thenCompose(v -> selectAndUpdate(AsyncSessionMaker.of(engine, false, true)))
          .toCompletableFuture()
          .join();
    } finally {
      engine.dispose().toCompletableFuture().join();
    }
  }

  /** Inserts in one transaction: committed when the returned stage completes. */
  private static CompletionStage<Void> insertObjects(AsyncSessionMaker sessions) {
    return sessions.begin(session -> {
      A a1 = new A("a1");
      A a2 = new A("a2");
      A a3 = new A("a3");
      session.addAll(List.of(a1, a2, a3));
      // Keys and the server-default timestamps come back in this INSERT.
      return session
          .flush()
          .thenApply(v -> {
            if (a1.createDate == null) {
              throw new IllegalStateException("the flush reads server defaults back");
            }
            session.addAll(
                List.of(
                    new B(a1.id, "b1"),
                    new B(a1.id, "b2"),
                    new B(a3.id, "b3"),
                    new B(a3.id, "b4")));
            return null;
          });
    });
  }

  /** Selects every A with its Bs, then changes one A and reads it and its Bs after the commit. */
  private static CompletionStage<Void> selectAndUpdate(AsyncSessionMaker sessions) {
    AsyncSession session = sessions.create();
    // Two statements: the As, then the Bs of all of them.
    return session
        .<A>scalars(select(AS).orderBy(A_ID.asc()).options(Loaders.selectinload(A.class, "bs")))
        .thenAccept(as -> {
          for (A a : as.all()) {
            System.out.println(a + " created at: " + a.createDate);
            a.bs.forEach(b -> System.out.println("  " + b));
          }
        })
        .thenCompose(v -> session.<A>scalars(select(AS).orderBy(A_ID.asc()).limit(1)))
        .thenCompose(r -> {
          A a1 = r.one();
          a1.data = "new data";
          // Read after the commit: no IO, the value is there.
          return session
              .commit()
              .thenRun(() -> System.out.println(a1.data))
              // Its Bs through fetch: loaded already, so given back with no IO.
              .thenCompose(v -> session.<B>fetch(a1, "bs"))
              .thenAccept(bs -> bs.forEach(System.out::println));
        })
        .whenComplete((v, e) -> session.close());
  }
}
