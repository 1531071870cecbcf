package dev.athanor.bench.hibernate;

import dev.athanor.bench.Competitor;
import dev.athanor.bench.User;
import dev.athanor.bench.WorkloadsKt;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import kotlin.Unit;
import kotlin.jvm.functions.Function2;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.cfg.Configuration;
import org.hibernate.reactive.mutiny.Mutiny;
import org.hibernate.reactive.provider.ReactiveServiceRegistryBuilder;
import org.hibernate.reactive.vertx.VertxInstance;
import reactor.core.publisher.Mono;

/**
 * Hibernate Reactive (Mutiny API) over its own Vert.x PostgreSQL client: a session per operation,
 * entities mapped to the benchmark tables, inserts batched by {@code hibernate.jdbc.batch_size}. It
 * has no streaming query, so it sits out the streaming workloads.
 */
public final class HibernateReactive implements Competitor {
  private final Vertx vertx;
  private final Mutiny.SessionFactory sessions;

  /**
   * Whether {@code find} runs in a transaction ({@code withTransaction}) or not ({@code
   * withSession}).
   */
  private final boolean transactional;

  public HibernateReactive(
      String host,
      int port,
      String db,
      String user,
      int poolSize,
      int loops,
      boolean transactional) {
    this.transactional = transactional;
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
    Configuration cfg = new Configuration();
    cfg.setProperty(
        "hibernate.connection.url", "jdbc:postgresql://" + host + ":" + port + "/" + db);
    cfg.setProperty("hibernate.connection.username", user);
    cfg.setProperty("hibernate.connection.pool_size", Integer.toString(poolSize));
    cfg.setProperty("hibernate.jdbc.batch_size", "1000");
    cfg.setProperty("hibernate.show_sql", "false");
    cfg.addAnnotatedClass(BenchUser.class);
    cfg.addAnnotatedClass(BenchInsert.class);
    cfg.addAnnotatedClass(BenchCounter.class);
    cfg.addAnnotatedClass(BenchItem.class);
    cfg.addAnnotatedClass(BenchParent.class);
    cfg.addAnnotatedClass(BenchChild.class);
    cfg.setProperty("hibernate.order_updates", "true");
    StandardServiceRegistry registry =
        new ReactiveServiceRegistryBuilder()
            .applySettings(cfg.getProperties())
            .addService(VertxInstance.class, (VertxInstance) () -> vertx)
            .build();
    sessions = cfg.buildSessionFactory(registry).unwrap(Mutiny.SessionFactory.class);
  }

  private static <T> Mono<T> mono(Supplier<Uni<T>> uni) {
    return Mono.fromCompletionStage(() -> uni.get().subscribeAsCompletionStage());
  }

  private static User user(BenchUser u) {
    return new User(u.id, u.name, u.email);
  }

  @Override
  public String getName() {
    return transactional ? "hibernate reactive" : "hibernate reactive (withSession)";
  }

  @Override
  public boolean getCanStream() {
    return false;
  }

  @Override
  public Mono<User> pkSelect(int id) {
    return mono(
        () -> sessions.withSession(s -> s.find(BenchUser.class, id)).map(HibernateReactive::user));
  }

  @Override
  public java.util.Set<String> getOrm() {
    return transactional
        ? java.util.Set.of("get", "query", "graph", "insert", "update")
        : java.util.Set.of("get");
  }

  /**
   * Hibernate Reactive's {@code find} in its two common forms: in a transaction, as a session's get
   * is, or in a session without one.
   */
  @Override
  public Mono<Object> ormGet(int id) {
    if (!transactional) {
      return mono(() -> sessions.withSession(s -> s.find(BenchUser.class, id)))
          .map(Object.class::cast);
    }
    return mono(() -> sessions.withTransaction(s -> s.find(BenchUser.class, id)))
        .map(Object.class::cast);
  }

  /** Persists {@code n} new items and flushes at commit; their identity keys come back. */
  @Override
  public Mono<Long> ormInsert(int n, int round) {
    return mono(() ->
        sessions.withTransaction(s -> {
          Object[] items = new Object[n];
          for (int i = 0; i < n; i++) {
            items[i] = new BenchItem("item" + round + "." + i);
          }
          return s.persistAll(items).map(v -> (long) n);
        }));
  }

  /** Loads 1,000 users, changes each one's name, and lets the flush at commit update them. */
  @Override
  public Mono<Long> ormUpdate1k(int from, int round) {
    return mono(() ->
        sessions.withTransaction(s ->
            s.createSelectionQuery(
                    "from BenchUser where id between :a and :b order by id", BenchUser.class)
                .setParameter("a", from)
                .setParameter("b", from + 999)
                .getResultList()
                .map(users -> {
                  for (BenchUser u : users) {
                    u.name = "user" + u.id + "." + round;
                  }
                  return (long) users.size();
                })));
  }

  @Override
  @SuppressWarnings("unchecked")
  public Mono<List<Object>> ormQuery100(int offset) {
    return mono(() ->
            sessions.withTransaction(s ->
                s.createSelectionQuery("from BenchUser order by id", BenchUser.class)
                    .setFirstResult(offset)
                    .setMaxResults(100)
                    .getResultList()))
        .map(l -> (List<Object>) (List<?>) l);
  }

  /** The 100 parents and their children in one statement: a join fetch of the collection. */
  @Override
  @SuppressWarnings("unchecked")
  public Mono<List<Object>> ormGraph(int from) {
    return mono(() ->
            sessions.withTransaction(s ->
                s.createSelectionQuery(
                        "select p from BenchParent p left join fetch p.children"
                            + " where p.id between :a and :b order by p.id",
                        BenchParent.class)
                    .setParameter("a", from)
                    .setParameter("b", from + 99)
                    .getResultList()))
        .map(l -> {
          WorkloadsKt.checkGraph(l.stream().map(p -> p.children.size()).toList());
          return (List<Object>) (List<?>) l;
        });
  }

  @Override
  public Mono<List<User>> select100(int offset) {
    return mono(() ->
        sessions.withSession(s ->
            s.createSelectionQuery("from BenchUser order by id", BenchUser.class)
                .setFirstResult(offset)
                .setMaxResults(100)
                .getResultList()
                .map(list -> list.stream().map(HibernateReactive::user).toList())));
  }

  @Override
  public Mono<Long> insertBatch(int n, int base) {
    return mono(() ->
        sessions.withTransaction(s -> {
          List<Object> rows = new ArrayList<>(n);
          for (int i = base; i < base + n; i++) {
            rows.add(new BenchInsert(i, "name" + i));
          }
          return s.persistAll(rows.toArray()).map(v -> (long) n);
        }));
  }

  @Override
  public Mono<Long> stream(Function2<? super Integer, ? super String, Unit> consume) {
    return Mono.error(
        new UnsupportedOperationException("Hibernate Reactive has no streaming query"));
  }

  @Override
  public Mono<Long> shortTransaction(int id) {
    return mono(() ->
        sessions.withTransaction(s ->
            s.createMutationQuery("update BenchCounter set n = n + 1 where id = :id")
                .setParameter("id", id)
                .executeUpdate()
                .chain(() ->
                    s.createSelectionQuery("select n from BenchCounter where id = :id", Long.class)
                        .setParameter("id", id)
                        .getSingleResult())));
  }

  @Override
  public void close() {
    sessions.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
