package dev.athanor.error;

/** The root of every error that Athanor raises itself or wraps. */
public class AthanorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an error with a message that names the problem and the fix. */
  public AthanorException(String message) {
    super(message);
  }

  /** Creates an error with a message and the error that caused it. */
  public AthanorException(String message, Throwable cause) {
    super(message, cause);
  }
}
