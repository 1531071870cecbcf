package dev.athanor.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A parameter set over a shared name table behaves as the map it stands for. */
class ParameterRowTest {
  private final ParameterRow.Names names =
      new ParameterRow.Names(List.of("name", "note", "size"), new int[] {0, 2, 3});

  @Test
  void readsValuesByNameAtTheirPositions() {
    ParameterRow row = names.row(new Object[] {"a", "not sent", null, 7});
    assertEquals(3, row.size());
    assertEquals("a", row.get("name"));
    assertNull(row.get("note"));
    assertTrue(row.containsKey("note"), "a null value is still a given parameter");
    assertEquals(7, row.get("size"));
    assertFalse(row.containsKey("missing"));
    assertNull(row.get("missing"));
  }

  @Test
  void equalsTheOrderedMapOfItsValuesAndCopiesInOrder() {
    ParameterRow row = names.row(new Object[] {"a", null, null, 7});
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("name", "a");
    expected.put("note", null);
    expected.put("size", 7);
    assertEquals(expected, row);
    assertEquals(row, expected);
    assertEquals(expected.hashCode(), row.hashCode());
    assertEquals(
        List.of("name", "note", "size"), new ArrayList<>(new LinkedHashMap<>(row).keySet()));
    assertEquals("{name=a, note=null, size=7}", row.toString());
  }

  @Test
  void rowsOfOneNameTableShareTheirKeySet() {
    ParameterRow a = names.row(new Object[4]);
    ParameterRow b = names.row(new Object[4]);
    assertSame(a.keySet(), b.keySet());
    assertEquals(List.of("name", "note", "size"), new ArrayList<>(a.keySet()));
  }

  @Test
  void isReadOnlyAndRejectsDuplicateNames() {
    ParameterRow row = names.row(new Object[4]);
    assertThrows(UnsupportedOperationException.class, () -> row.put("name", "x"));
    assertThrows(UnsupportedOperationException.class, () -> row.keySet().remove("name"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ParameterRow.Names(List.of("a", "a"), new int[] {0, 1}));
  }
}
