package dev.athanor.error;

/**
 * Raised when code reads an attribute that was never loaded (a relationship no loader option filled
 * in) outside {@code runSync}, where loading it would mean IO hidden in a field read. The message
 * names the attribute and the ways to load it: a loader option on the query ({@code selectinload}),
 * an explicit load ({@code refresh(obj, names)}), or {@code runSync}.
 */
public class UnloadedAttributeException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  /** Creates the error; the message should name the attribute and the fixes. */
  public UnloadedAttributeException(String message) {
    super(message);
  }
}
