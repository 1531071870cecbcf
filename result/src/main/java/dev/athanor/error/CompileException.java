package dev.athanor.error;

/** Raised when a statement cannot be written as SQL for the dialect in use. */
public class CompileException extends AthanorException {
  private static final long serialVersionUID = 1L;

  /** Creates the error; the message names the construct and the dialect. */
  public CompileException(String message) {
    super(message);
  }
}
