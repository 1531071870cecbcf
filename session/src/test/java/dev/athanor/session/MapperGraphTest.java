package dev.athanor.session;

import static dev.athanor.session.States.pending;
import static dev.athanor.session.States.persistent;
import static org.junit.jupiter.api.Assertions.*;

import dev.athanor.error.InvalidRequestException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The order of mappers in a flush, and of rows across tables that refer to each other: plain Java,
 * no database.
 */
class MapperGraphTest {
  @Entity(table = "mg_order_line")
  static class Line {
    @Id Long id;

    @Column(references = "mg_order.id")
    Long orderId;

    Line() {}

    Line(long id, long orderId) {
      this.id = id;
      this.orderId = orderId;
    }

    @Override
    public String toString() {
      return "Line(" + id + ")";
    }
  }

  @Entity(table = "mg_order")
  static class Order {
    @Id Long id;

    Order() {}

    Order(long id) {
      this.id = id;
    }

    @Override
    public String toString() {
      return "Order(" + id + ")";
    }
  }

  @Entity(table = "mg_audit")
  static class Audit {
    @Id Long id;

    Audit() {}

    Audit(long id) {
      this.id = id;
    }
  }

  /** A team names its captain; a player names its team: foreign keys in a cycle. */
  @Entity(table = "mg_team")
  static class Team {
    @Id Long id;

    @Column(references = "mg_player.id")
    Long captainId;

    Team() {}

    Team(long id, Long captainId) {
      this.id = id;
      this.captainId = captainId;
    }

    @Override
    public String toString() {
      return "Team(" + id + ")";
    }
  }

  @Entity(table = "mg_player")
  static class Player {
    @Id Long id;

    @Column(references = "mg_team.id")
    Long teamId;

    Player() {}

    Player(long id, Long teamId) {
      this.id = id;
      this.teamId = teamId;
    }

    @Override
    public String toString() {
      return "Player(" + id + ")";
    }
  }

  private static final Registry REGISTRY = new Registry();

  static {
    // Children mapped before their parents: the order comes from the keys, not from here.
    REGISTRY.map(Line.class);
    REGISTRY.map(Audit.class);
    REGISTRY.map(Order.class);
    REGISTRY.map(Player.class);
    REGISTRY.map(Team.class);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Mapper<Object> m(Class<?> c) {
    return (Mapper) Registry.mapperOf(c);
  }

  private static List<String> objects(FlushPlan plan) {
    return plan.steps().stream()
        .flatMap(s -> s.states.stream())
        .map(s -> s.object.toString())
        .toList();
  }

  private static List<String> tables(FlushPlan plan) {
    return plan.steps().stream().map(s -> s.mapper.table().name()).toList();
  }

  @Test
  void aMapperComesAfterTheMappersItsForeignKeysPointTo() {
    List<List<Mapper<Object>>> groups =
        MapperGraph.parentsFirst(List.of(m(Line.class), m(Order.class)));
    assertEquals(List.of(List.of(m(Order.class)), List.of(m(Line.class))), groups);
  }

  @Test
  void aDeclaredDependencyOrdersMappersWithoutAForeignKey() {
    Registry r = new Registry();
    @SuppressWarnings({"unchecked", "rawtypes"})
    Mapper<Object> audit = (Mapper) r.map(AuditCopy.class);
    @SuppressWarnings({"unchecked", "rawtypes"})
    Mapper<Object> order = (Mapper) r.map(OrderCopy.class);
    // Mapped (and declared) first, so first without an edge...
    assertEquals(
        List.of(List.of(audit), List.of(order)), MapperGraph.parentsFirst(List.of(audit, order)));
    // ...and after the mapper it is told it depends on (a relationship's edge).
    audit.dependsOn(order);
    assertEquals(
        List.of(List.of(order), List.of(audit)), MapperGraph.parentsFirst(List.of(audit, order)));
    assertEquals(List.of(order), audit.dependencies());
  }

  @Entity(table = "mg_audit_copy")
  static class AuditCopy {
    @Id Long id;

    AuditCopy() {}
  }

  @Entity(table = "mg_order_copy")
  static class OrderCopy {
    @Id Long id;

    OrderCopy() {}
  }

  @Test
  void tablesWithForeignKeysInACycleFormOneGroup() {
    List<List<Mapper<Object>>> groups =
        MapperGraph.parentsFirst(List.of(m(Team.class), m(Player.class), m(Order.class)));
    assertEquals(3 - 1, groups.size());
    assertTrue(
        groups.stream()
            .anyMatch(g -> g.size() == 2 && g.containsAll(List.of(m(Team.class), m(Player.class)))),
        groups.toString());
  }

  @Test
  void newRowsOfTablesInACycleAreInsertedRowByRowAfterTheRowsTheyName() {
    // Team 2's captain is player 10, who plays for team 1; player 20 plays for team 2.
    FlushPlan plan =
        FlushPlan.of(
            List.of(
                pending(new Player(20, 2L)),
                pending(new Team(2, 10L)),
                pending(new Player(10, 1L)),
                pending(new Team(1, null)),
                pending(new Order(5))),
            List.of(),
            List.of());
    List<String> order = objects(plan);
    assertTrue(order.indexOf("Team(1)") < order.indexOf("Player(10)"), order.toString());
    assertTrue(order.indexOf("Player(10)") < order.indexOf("Team(2)"), order.toString());
    assertTrue(order.indexOf("Team(2)") < order.indexOf("Player(20)"), order.toString());
    // One statement per table and level: team 1, player 10, team 2, player 20 (and the order).
    assertEquals(5, plan.steps().size(), tables(plan).toString());
  }

  @Test
  void rowsOfOneLevelBatchByTable() {
    FlushPlan plan =
        FlushPlan.of(
            List.of(
                pending(new Team(1, null)),
                pending(new Player(10, null)),
                pending(new Team(2, null)),
                pending(new Player(20, null))),
            List.of(),
            List.of());
    assertEquals(2, plan.steps().size(), tables(plan).toString());
  }

  @Test
  void deletedRowsOfTablesInACycleGoChildrenFirst() {
    FlushPlan plan =
        FlushPlan.of(
            List.of(),
            List.of(),
            List.of(
                persistent(new Team(1, null)),
                persistent(new Player(10, 1L)),
                persistent(new Team(2, 10L))));
    assertEquals(List.of("Team(2)", "Player(10)", "Team(1)"), objects(plan));
  }

  @Test
  void rowsThatNameEachOtherAcrossTablesAreRefusedByName() {
    InvalidRequestException e =
        assertThrows(
            InvalidRequestException.class,
            () ->
                FlushPlan.of(
                    List.of(pending(new Team(3, 30L)), pending(new Player(30, 3L))),
                    List.of(),
                    List.of()));
    assertTrue(e.getMessage().contains("Team(3)"), e.getMessage());
    assertTrue(e.getMessage().contains("Player(30)"), e.getMessage());
    assertTrue(e.getMessage().contains("mg_team (Team)"), e.getMessage());
    assertTrue(e.getMessage().contains("mg_player (Player)"), e.getMessage());
    assertTrue(e.getMessage().contains("a second flush"), e.getMessage());
  }

  @Test
  void ordersInsertParentsFirstAndDeletesChildrenFirstAcrossTables() {
    FlushPlan plan =
        FlushPlan.of(
            List.of(pending(new Line(1, 7)), pending(new Order(7))),
            List.of(),
            List.of(persistent(new Line(2, 8)), persistent(new Order(8))));
    assertEquals(List.of("mg_order", "mg_order_line", "mg_order_line", "mg_order"), tables(plan));
  }
}
