package dev.usagemetrics.testkit;

/** The OTLP transports the receiver speaks. */
public enum Protocol {
  GRPC("grpc"),
  HTTP_PROTOBUF("http/protobuf");

  private final String otelName;

  Protocol(String otelName) {
    this.otelName = otelName;
  }

  /** The value for {@code OTEL_EXPORTER_OTLP_PROTOCOL}. */
  public String otelName() {
    return otelName;
  }
}
