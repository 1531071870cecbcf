package dev.athanor.engine;

import static org.junit.jupiter.api.Assertions.*;

import dev.athanor.error.InvalidRequestException;
import org.junit.jupiter.api.Test;

/** The transaction stack's state changes, without a connection or a database. */
class TransactionStackTest {
  private final TransactionStack stack = new TransactionStack();

  private static Transaction root() {
    return new Transaction(null, null);
  }

  private Transaction savepoint() {
    Transaction sp = new Transaction(null, stack.nextSavepointName());
    stack.push(sp);
    return sp;
  }

  @Test
  void savepointNamesAreUniqueOnAConnection() {
    assertEquals("athanor_sp_1", stack.nextSavepointName());
    assertEquals("athanor_sp_2", stack.nextSavepointName());
  }

  @Test
  void releasingAMiddleSavepointEndsTheOnesInsideIt() {
    Transaction t = root();
    stack.begin(t);
    Transaction a = savepoint();
    Transaction b = savepoint();
    Transaction c = savepoint();
    assertSame(c, stack.innermost());

    stack.endSavepoint(b, true);

    assertSame(a, stack.innermost());
    assertTrue(a.isActive());
    assertFalse(b.isActive());
    assertFalse(c.isActive());
    // b was committed itself: committing it again is an error, rolling it back too.
    assertNotNull(b.reuseError(true));
    assertNotNull(b.reuseError(false));
    // c ended with the savepoint around it: the message says so.
    assertTrue(c.reuseError(true).getMessage().contains("transaction around it committed"));
  }

  @Test
  void rollingBackToASavepointKeepsTheOuterOnes() {
    stack.begin(root());
    Transaction a = savepoint();
    Transaction b = savepoint();
    stack.endSavepoint(b, false);
    assertTrue(stack.hasSavepoints());
    assertSame(a, stack.innermost());
    // Rolling back what was rolled back is a no-op, committing it is refused.
    assertNull(b.reuseError(false));
    assertNotNull(b.reuseError(true));
  }

  @Test
  void endingTheRootEndsEverySavepoint() {
    Transaction t = root();
    stack.begin(t);
    Transaction a = savepoint();
    stack.endRoot(t, false);
    assertNull(stack.root());
    assertFalse(stack.hasSavepoints());
    assertFalse(t.isActive());
    assertFalse(a.isActive());
    assertTrue(a.reuseError(true).getMessage().contains("transaction around it rolled back"));
  }

  @Test
  void endAllHandsBackTheRootAndMarksHowItEnded() {
    Transaction t = root();
    stack.begin(t);
    Transaction a = savepoint();
    assertSame(t, stack.endAll(Transaction.End.CLOSED));
    assertNull(stack.root());
    assertTrue(a.reuseError(true).getMessage().contains("connection closed"));
    assertNull(stack.endAll(Transaction.End.CLOSED));
  }

  @Test
  void aFailedBeginIsForgotten() {
    Transaction t = root();
    stack.begin(t);
    stack.forget(t);
    assertNull(stack.root());
    assertFalse(t.isActive());
    // Forgetting a transaction that is no longer the root leaves the root alone.
    Transaction u = root();
    stack.begin(u);
    stack.forget(t);
    assertSame(u, stack.root());
  }

  @Test
  void aFailedSavepointIsDropped() {
    stack.begin(root());
    Transaction a = savepoint();
    stack.drop(a);
    assertFalse(stack.hasSavepoints());
    assertFalse(a.isActive());
  }

  @Test
  void aBlockWhoseTransactionEndedInsideItRefusesMoreWork() {
    Transaction t = root();
    stack.begin(t);
    stack.enterBlock(t);
    stack.checkBlocks("execute"); // active: fine
    stack.endRoot(t, true);
    InvalidRequestException e =
        assertThrows(InvalidRequestException.class, () -> stack.checkBlocks("execute"));
    assertTrue(e.getMessage().contains("execute()"));
    stack.exitBlock(t);
    stack.checkBlocks("execute"); // the block ended: fine again
  }
}
