package dev.athanor.error;

/**
 * Raised by {@code one()}, {@code oneOrNone()}, {@code scalarOne()} and {@code scalarOneOrNone()}
 * when the result has more than one row.
 */
public class MultipleResultsFoundException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  /** Creates the error. */
  public MultipleResultsFoundException(String message) {
    super(message);
  }
}
