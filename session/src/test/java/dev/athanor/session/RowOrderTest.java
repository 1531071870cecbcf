package dev.athanor.session;

import static dev.athanor.session.States.pending;
import static dev.athanor.session.States.persistent;
import static org.junit.jupiter.api.Assertions.*;

import dev.athanor.error.InvalidRequestException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rows of a table that refers to itself, ordered within one flush: plain Java, no database. */
class RowOrderTest {
  @Entity(table = "ro_employee")
  static class Employee {
    @Id Long id;

    @Column(references = "ro_employee.id")
    Long managerId;

    String name;

    Employee() {}

    Employee(long id, Long managerId) {
      this.id = id;
      this.managerId = managerId;
      this.name = "e" + id;
    }

    @Override
    public String toString() {
      return "Employee(" + id + ")";
    }
  }

  private static final Registry REGISTRY = new Registry();

  static {
    REGISTRY.map(Employee.class);
  }

  private static List<Object> inserted(FlushPlan plan) {
    return plan.steps().stream()
        .flatMap(s -> s.states.stream())
        .map(s -> ((Employee) s.object).id)
        .map(Object.class::cast)
        .toList();
  }

  @Test
  void aNewRowIsInsertedAfterTheNewRowItRefersTo() {
    // Added child before parent, grandchild before both.
    FlushPlan plan =
        FlushPlan.of(
            List.of(
                pending(new Employee(3, 2L)),
                pending(new Employee(2, 1L)),
                pending(new Employee(4, null)),
                pending(new Employee(1, null))),
            List.of(),
            List.of());
    assertEquals(List.of(4L, 1L, 2L, 3L), inserted(plan));
    // Still one statement: the rows have the same columns.
    assertEquals(1, plan.steps().size());
  }

  @Test
  void addOrderIsKeptWhenNoRowRefersToAnotherNewRow() {
    FlushPlan plan =
        FlushPlan.of(
            List.of(
                pending(new Employee(5, 100L)), // an existing manager
                pending(new Employee(6, null)),
                pending(new Employee(7, 100L))),
            List.of(),
            List.of());
    assertEquals(List.of(5L, 6L, 7L), inserted(plan));
  }

  @Test
  void newRowsThatReferToEachOtherInACycleAreRefusedByName() {
    InvalidRequestException e =
        assertThrows(
            InvalidRequestException.class,
            () ->
                FlushPlan.of(
                    List.of(pending(new Employee(1, 2L)), pending(new Employee(2, 1L))),
                    List.of(),
                    List.of()));
    assertTrue(e.getMessage().contains("ro_employee"), e.getMessage());
    assertTrue(e.getMessage().contains("Employee(1)"), e.getMessage());
    assertTrue(e.getMessage().contains("flush, then set it"), e.getMessage());
  }

  @Test
  void deletedRowsGoChildrenFirstOneStatementPerLevel() {
    InstanceState boss = persistent(new Employee(1, null));
    InstanceState mid = persistent(new Employee(2, 1L));
    InstanceState leaf = persistent(new Employee(3, 2L));
    InstanceState other = persistent(new Employee(4, 1L));
    FlushPlan plan = FlushPlan.of(List.of(), List.of(), List.of(boss, mid, leaf, other));
    List<List<Object>> levels =
        plan.steps().stream()
            .map(s -> s.states.stream().map(x -> (Object) ((Employee) x.object).id).toList())
            .toList();
    assertEquals(List.of(List.of(3L, 4L), List.of(2L), List.of(1L)), levels);
    assertTrue(plan.steps().stream().allMatch(s -> s.kind == FlushPlan.Kind.DELETE));
  }

  @Test
  void deleteOrderUsesTheCommittedReferenceNotAChangedOne() {
    Employee a = new Employee(1, null);
    Employee b = new Employee(2, 1L);
    InstanceState sa = persistent(a);
    InstanceState sb = persistent(b);
    b.managerId = null; // changed in memory, but the row still refers to 1
    FlushPlan plan = FlushPlan.of(List.of(), List.of(), List.of(sa, sb));
    assertEquals(2, plan.steps().size());
    assertSame(sb, plan.steps().get(0).states.get(0));
  }
}
