package dev.usagemetrics.targets;

import java.sql.SQLTimeoutException;

/** An application exception whose constructor sets a timeout as its cause, for the classify command. */
public class StoreTimeoutException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StoreTimeoutException(String message) {
    super(message, new SQLTimeoutException("statement timeout", "57014"));
  }
}
