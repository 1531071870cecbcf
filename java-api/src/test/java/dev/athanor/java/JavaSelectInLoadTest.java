package dev.athanor.java;

import static dev.athanor.sql.Sql.select;
import static org.junit.jupiter.api.Assertions.*;

import dev.athanor.engine.EngineOptions;
import dev.athanor.error.UnloadedAttributeException;
import dev.athanor.session.Column;
import dev.athanor.session.Entity;
import dev.athanor.session.Id;
import dev.athanor.session.Loaders;
import dev.athanor.session.Mapper;
import dev.athanor.session.Registry;
import dev.athanor.session.Relationship;
import dev.athanor.testkit.TestDatabases;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** View-only relationships through the CompletionStage face: options, refresh, runSync. */
class JavaSelectInLoadTest {
  @Entity(table = "jsil_team")
  public static class Team {
    @Id(generated = false)
    private Long id;

    @Relationship(viewOnly = true)
    private List<Player> players;

    private Team() {}

    Team(long id) {
      this.id = id;
    }
  }

  @Entity(table = "jsil_player")
  public static class Player {
    @Id(generated = false)
    private Long id;

    @Column(references = "jsil_team.id")
    private Long teamId;

    private Player() {}

    Player(long id, long teamId) {
      this.id = id;
      this.teamId = teamId;
    }
  }

  static final Registry REGISTRY = new Registry();
  static final Mapper<Team> TEAMS = REGISTRY.map(Team.class);

  static {
    REGISTRY.map(Player.class);
  }

  static List<TestDatabases.Db> dbs() {
    return TestDatabases.all();
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  /** An engine over fresh tables: teams 1 and 2, players 12 and 11 (added in that order) of 1. */
  private static AsyncEngine engineWithTeams(TestDatabases.Db db) {
    AsyncEngine engine = AsyncEngine.create(db.url(), EngineOptions.defaults().poolSize(2));
    join(
        engine.begin(conn ->
            conn.dropAll(REGISTRY.metadata())
                .thenCompose(v -> conn.createAll(REGISTRY.metadata()))));
    AsyncSession writer = AsyncSession.of(engine);
    writer.add(new Team(1));
    writer.add(new Team(2));
    writer.add(new Player(12, 1));
    writer.add(new Player(11, 1));
    join(writer.commit().thenCompose(v -> writer.close()));
    return engine;
  }

  private static List<Long> ids(List<Player> players) {
    return players.stream().map(p -> p.id).toList();
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void loadsThroughEveryEntryPoint(TestDatabases.Db db) {
    AsyncEngine engine = engineWithTeams(db);
    try {
      AsyncSessionMaker sessions = AsyncSessionMaker.of(engine);

      AsyncSession s = sessions.create();
      List<Team> teams =
          join(s.<Team>scalars(
                  select(TEAMS)
                      .orderBy(TEAMS.attribute("id").asc())
                      .options(Loaders.selectinload(Team.class, "players"))))
              .all();
      assertEquals(List.of(11L, 12L), ids(teams.get(0).players));
      assertEquals(List.of(), teams.get(1).players);
      join(s.rollback());

      // Expired by the rollback and reloaded without the option: not loaded.
      Team first = join(s.get(Team.class, 1L));
      CompletionException e =
          assertThrows(
              CompletionException.class,
              () -> join(s.get(Team.class, 1L).thenApply(t -> t.players.size())));
      assertInstanceOf(UnloadedAttributeException.class, e.getCause());
      join(s.refresh(first, List.of("players")));
      assertEquals(List.of(11L, 12L), ids(first.players));

      Team second =
          join(s.get(Team.class, 2L, Loaders.options(Loaders.selectinload(Team.class, "players"))));
      assertEquals(List.of(), second.players);
      join(s.refresh(second));
      assertEquals(0, (int) join(s.runSync(sync -> second.players.size())));
      join(s.close());
      assertEquals(0, engine.core().poolStatus().checkedOut());
    } finally {
      join(engine.dispose());
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void fetchGivesTheRelationshipLoadingItOnlyWhenNeeded(TestDatabases.Db db) {
    AsyncEngine engine = engineWithTeams(db);
    try {
      AsyncSession s = AsyncSession.of(engine);
      Team team = join(s.get(Team.class, 1L));
      List<Player> players = join(s.<Player>fetch(team, "players"));
      assertEquals(List.of(11L, 12L), ids(players));
      assertSame(players, team.players);
      assertSame(players, join(s.<Player>fetch(team, "players")), "loaded: given back as it is");
      CompletionException unknown =
          assertThrows(CompletionException.class, () -> join(s.fetch(team, "nope")));
      assertInstanceOf(dev.athanor.error.MappingException.class, unknown.getCause());
      CompletionException pending =
          assertThrows(CompletionException.class, () -> join(s.fetch(new Team(7), "players")));
      assertInstanceOf(dev.athanor.error.InvalidRequestException.class, pending.getCause());
      join(s.close());
      assertEquals(0, engine.core().poolStatus().checkedOut());
    } finally {
      join(engine.dispose());
    }
  }
}
