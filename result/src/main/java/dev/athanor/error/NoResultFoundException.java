package dev.athanor.error;

/** Raised by {@code one()} and {@code scalarOne()} when the result has no row. */
public class NoResultFoundException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  /** Creates the error. */
  public NoResultFoundException(String message) {
    super(message);
  }
}
