package dev.usagemetrics.targets;

/** What the application itself counted, per outcome; one per thread, merged at the end. */
final class OutcomeTally {

  private final long[] counts = new long[SyntheticFailures.NAMES.length];

  void count(int outcome) {
    counts[outcome]++;
  }

  void add(OutcomeTally other) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
  }

  long calls() {
    long calls = 0;
    for (long count : counts) {
      calls += count;
    }
    return calls;
  }

  /** {@code success=.. validation=.. timeout=.. db_error=..}, for a report line. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < counts.length; i++) {
      text.append(i == 0 ? "" : " ")
          .append(SyntheticFailures.NAMES[i])
          .append('=')
          .append(counts[i]);
    }
    return text.toString();
  }
}
