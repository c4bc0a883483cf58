package io.cqconnect.state;

/** A state store could not do what was asked; the message names the table and the cause. */
public class StateStoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Whether the same call may succeed later (a lost connection), or not (a bad table layout). */
  private final boolean transientFailure;

  /** A failure that retrying will not fix. */
  public StateStoreException(String message, Throwable cause) {
    this(message, cause, false);
  }

  /**
   * A failure of a state store.
   *
   * @param transientFailure true when retrying later may succeed
   */
  public StateStoreException(String message, Throwable cause, boolean transientFailure) {
    super(message, cause);
    this.transientFailure = transientFailure;
  }

  /** True when retrying later may succeed (for example a database connection was lost). */
  public boolean isTransient() {
    return transientFailure;
  }
}
