package dev.athanor.error;

/** Raised for a bad argument: an unknown URL scheme, a malformed URL, an unknown option. */
public class ArgumentException extends AthanorException {
  private static final long serialVersionUID = 1L;

  /** Creates the error. */
  public ArgumentException(String message) {
    super(message);
  }

  /** Creates the error with a cause. */
  public ArgumentException(String message, Throwable cause) {
    super(message, cause);
  }
}
