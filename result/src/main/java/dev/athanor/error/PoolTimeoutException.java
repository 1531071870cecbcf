package dev.athanor.error;

/**
 * Raised when no pooled connection became free within the engine's {@code poolTimeout}. Raise the
 * pool size, shorten what holds connections, or check for connections that are not closed.
 */
public class PoolTimeoutException extends AthanorException {
  private static final long serialVersionUID = 1L;

  /** Creates the error. */
  public PoolTimeoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
