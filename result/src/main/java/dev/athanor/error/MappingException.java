package dev.athanor.error;

/**
 * A class cannot be mapped as it is: no primary key, a field of a type with no column type, no
 * constructor without parameters, a class mapped twice. Raised when the class is mapped, naming the
 * class, the field and the fix.
 */
public class MappingException extends AthanorException {
  private static final long serialVersionUID = 1L;

  /** Creates the error. */
  public MappingException(String message) {
    super(message);
  }

  /** Creates the error with a cause. */
  public MappingException(String message, Throwable cause) {
    super(message, cause);
  }
}
