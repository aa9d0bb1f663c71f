package com.example.llmusage;

/** A usage record that must not be stored as is (missing id, negative tokens, ...). */
public class InvalidUsageRecordException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidUsageRecordException(String message) {
    super(message);
  }
}
