package dev.athanor.error;

/**
 * A flush's UPDATE or DELETE matched fewer rows than it should: the row was deleted, or its version
 * changed, by someone else since it was loaded. The transaction is rolled back.
 */
public class StaleDataException extends AthanorException {
  private static final long serialVersionUID = 1L;

  /** Creates the error. */
  public StaleDataException(String message) {
    super(message);
  }
}
