package dev.athanor.error;

/**
 * A session's flush failed and its transaction was rolled back; the session refuses work until
 * {@code rollback()} is called (SQLAlchemy's {@code PendingRollbackError}).
 */
public class PendingRollbackException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  /** Creates the error. */
  public PendingRollbackException(String message, Throwable cause) {
    super(message, cause);
  }
}
