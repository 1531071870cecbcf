package dev.athanor.error;

/**
 * Raised when the program asks for something the object cannot do in its current state: a call on a
 * closed result or connection, a misuse of the API, an argument that makes no sense.
 */
public class InvalidRequestException extends AthanorException {
  private static final long serialVersionUID = 1L;

  /** Creates the error; the message should name the object, the operation and the fix. */
  public InvalidRequestException(String message) {
    super(message);
  }

  /** Creates the error with a cause. */
  public InvalidRequestException(String message, Throwable cause) {
    super(message, cause);
  }
}
