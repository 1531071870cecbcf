package dev.athanor.error;

/** Raised when a result, connection or engine is used after it was closed. */
public class ResourceClosedException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  /** Creates the error. */
  public ResourceClosedException(String message) {
    super(message);
  }
}
