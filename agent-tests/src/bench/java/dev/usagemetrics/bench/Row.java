package dev.usagemetrics.bench;

/** One line of the results table; cells are already formatted, "" where not applicable. */
record Row(
    String measurement,
    String none,
    String ours,
    String otel,
    String oursAdded,
    String otelAdded,
    String target,
    String verdict) {

  static final String HEADER =
      "| Measurement | No agent | Ours | OTel agent | Ours added | OTel added | Target (ours) | Result |\n"
          + "|---|---:|---:|---:|---:|---:|---|:---:|";

  static String verdict(boolean pass) {
    return pass ? "PASS" : "**FAIL**";
  }

  static String info() {
    return "info";
  }

  String markdown() {
    return "| "
        + String.join(" | ", measurement, none, ours, otel, oursAdded, otelAdded, target, verdict)
        + " |";
  }
}
