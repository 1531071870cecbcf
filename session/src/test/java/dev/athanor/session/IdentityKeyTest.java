package dev.athanor.session;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Identity keys: a decimal key value is one identity whatever its scale. */
class IdentityKeyTest {
  @Entity(table = "ik_price")
  static class Price {
    @Id(generated = false)
    BigDecimal code;

    Price() {}
  }

  private static final Mapper<?> PRICE = new Registry().map(Price.class);

  private static IdentityKey key(Object... values) {
    return new IdentityKey(PRICE, Arrays.asList(values));
  }

  @Test
  void decimalsEqualInValueAreOneKey() {
    assertEquals(key(new BigDecimal("1")), key(new BigDecimal("1.0000000000")));
    assertEquals(key(new BigDecimal("100")), key(new BigDecimal("1E+2")));
    assertEquals(key(new BigDecimal("100.00")).hashCode(), key(new BigDecimal("100")).hashCode());
    assertNotEquals(key(new BigDecimal("1.5")), key(new BigDecimal("1.05")));
    // The shortest form, never a negative scale (it is also what a get() binds).
    assertEquals(List.of(new BigDecimal("100")), key(new BigDecimal("100.000")).values());
  }

  @Test
  void otherValuesAndNullsAreKeptAsGiven() {
    List<Object> given = Arrays.asList(7L, null, "x");
    assertSame(given, new IdentityKey(PRICE, given).values());
    assertEquals(
        Arrays.asList(new BigDecimal("2.5"), null), key(new BigDecimal("2.50"), null).values());
  }
}
