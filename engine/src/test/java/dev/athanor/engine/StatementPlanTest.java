package dev.athanor.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Checks of values made before anything is sent. */
class StatementPlanTest {
  @Test
  void findsLoneSurrogatesAndAcceptsPairs() {
    assertTrue(StatementPlan.hasLoneSurrogate("x\uD800y"));
    assertTrue(StatementPlan.hasLoneSurrogate("x\uDC00"));
    assertTrue(StatementPlan.hasLoneSurrogate("\uD83D"));
    assertTrue(StatementPlan.hasLoneSurrogate("\uDC31\uD83D"));
    assertFalse(StatementPlan.hasLoneSurrogate("cat \uD83D\uDC31"));
    assertFalse(StatementPlan.hasLoneSurrogate(""));
    assertFalse(StatementPlan.hasLoneSurrogate("plain ascii and \u00e9"));
  }
}
