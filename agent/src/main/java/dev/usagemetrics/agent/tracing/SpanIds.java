package dev.usagemetrics.agent.tracing;

/** The ids of a sampled span that was current during a call, as lowercase hex. */
public final class SpanIds {

  private final String traceId;
  private final String spanId;

  SpanIds(String traceId, String spanId) {
    this.traceId = traceId;
    this.spanId = spanId;
  }

  public String traceId() {
    return traceId;
  }

  public String spanId() {
    return spanId;
  }

  @Override
  public String toString() {
    return traceId + "/" + spanId;
  }
}
