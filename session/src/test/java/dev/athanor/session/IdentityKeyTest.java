package dev.athanor.session;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Identity keys: a decimal key value is one identity whatever its scale, a timestamp with an offset
 * whatever its offset, a binary one whatever array holds its bytes.
 */
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

  @Test
  void binaryValuesAreOneKeyByContentAndTheKeyKeepsItsOwnCopy() {
    byte[] bytes = {1, 2, (byte) 0xff};
    IdentityKey k = key(bytes, 3);
    assertEquals(k, key(new byte[] {1, 2, (byte) 0xff}, 3));
    assertEquals(k.hashCode(), key(new byte[] {1, 2, (byte) 0xff}, 3).hashCode());
    assertNotEquals(k, key(new byte[] {1, 2}, 3));
    assertNotEquals(k, key(new byte[] {1, 2, (byte) 0xff}, 4));
    int hash = k.hashCode();
    bytes[0] = 9; // the caller's array changes; the key does not
    assertEquals(hash, k.hashCode());
    assertEquals(k, key(new byte[] {1, 2, (byte) 0xff}, 3));
    assertEquals("Price[0x0102ff, 3]", k.toString());
    assertArrayEquals(new byte[] {1, 2, (byte) 0xff}, (byte[]) k.values().get(0)); // what get binds
  }

  @Test
  void timestampsWithAnOffsetAreOneKeyPerInstant() {
    java.time.OffsetDateTime utc = java.time.OffsetDateTime.parse("2026-12-04T10:00Z");
    IdentityKey k = key(java.time.OffsetDateTime.parse("2026-12-04T12:00+02:00"));
    assertEquals(key(utc), k);
    assertEquals(key(utc).hashCode(), k.hashCode());
    assertEquals(List.of(utc), k.values());
    assertNotEquals(key(utc), key(java.time.OffsetDateTime.parse("2026-12-04T10:00+02:00")));
  }

  @Test
  void keysOfTheSameValuesWithAnotherTokenDiffer() {
    assertNotEquals(
        new IdentityKey(PRICE, List.of(1), "a"), new IdentityKey(PRICE, List.of(1), "b"));
    assertEquals(new IdentityKey(PRICE, List.of(1), "a"), new IdentityKey(PRICE, List.of(1), "a"));
    assertEquals("Price[1]@a", new IdentityKey(PRICE, List.of(1), "a").toString());
  }
}
