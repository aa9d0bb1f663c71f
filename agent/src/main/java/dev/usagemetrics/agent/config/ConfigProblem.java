package dev.usagemetrics.agent.config;

/** One thing wrong with a configuration, with where it is: {@code file:line:column: message}. */
public final class ConfigProblem {

  private final String location;
  private final String message;

  ConfigProblem(String location, String message) {
    this.location = location;
    this.message = message;
  }

  public String location() {
    return location;
  }

  public String message() {
    return message;
  }

  @Override
  public String toString() {
    return location + ": " + message;
  }
}
