package dev.usagemetrics.agent.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Where and how metrics are exported, as written in the YAML file; built with {@link #builder()},
 * which starts from the defaults. Unset values are null: the standard OpenTelemetry variables or
 * the SDK's defaults then apply.
 */
public final class ExportSettings {

  /**
   * What the agent detects about where it runs, one resource provider each: {@code host}
   * (host.name, host.arch), {@code os} (os.type, os.description), {@code process} (process.pid,
   * process.executable.path), {@code runtime} (process.runtime.*), {@code container} (container.id).
   */
  public static final Set<String> RESOURCE_PROVIDERS =
      Set.of("host", "os", "process", "runtime", "container");

  /** The Prometheus endpoint's interface when {@code export.prometheus} names none: loopback only. */
  public static final String DEFAULT_PROMETHEUS_HOST = "127.0.0.1";
  /** The Prometheus endpoint's port when {@code export.prometheus} names none. */
  public static final int DEFAULT_PROMETHEUS_PORT = 9464;

  private final String endpoint;
  private final String protocol;
  private final Map<String, String> headers;
  private final Duration interval;
  private final Duration timeout;
  private final Duration shutdownTimeout;
  private final String serviceName;
  private final Map<String, String> resourceAttributes;
  private final boolean otlpEnabled;
  private final String prometheusHost;
  private final OptionalInt prometheusPort;
  private final Tls tls;
  private final List<String> disabledResourceProviders;
  private final boolean sdkTelemetry;
  private final boolean exemplars;

  /**
   * PEM files for OTLP over TLS ({@code https://} endpoints): the certificates to trust instead of
   * the JVM's, and a client key and certificate for mutual TLS. Each may be null.
   */
  public static final class Tls {
    public static final Tls NONE = new Tls(null, null, null);

    private final String trustedCertificates;
    private final String clientKey;
    private final String clientCertificate;

    public Tls(String trustedCertificates, String clientKey, String clientCertificate) {
      this.trustedCertificates = trustedCertificates;
      this.clientKey = clientKey;
      this.clientCertificate = clientCertificate;
    }

    /** {@code export.certificate}: a PEM file of the certificates (CAs) the collector's certificate must chain to. */
    public String trustedCertificates() {
      return trustedCertificates;
    }

    /** {@code export.client_key}: the PEM private key (PKCS#8) presented for mutual TLS. */
    public String clientKey() {
      return clientKey;
    }

    /** {@code export.client_certificate}: the PEM certificate chain presented for mutual TLS. */
    public String clientCertificate() {
      return clientCertificate;
    }
  }

  private ExportSettings(Builder builder) {
    this.endpoint = builder.endpoint;
    this.protocol = builder.protocol;
    this.headers = Map.copyOf(builder.headers);
    this.interval = builder.interval;
    this.timeout = builder.timeout;
    this.shutdownTimeout = builder.shutdownTimeout;
    this.serviceName = builder.serviceName;
    this.resourceAttributes = Map.copyOf(builder.resourceAttributes);
    this.otlpEnabled = builder.otlpEnabled;
    this.prometheusHost = builder.prometheusHost;
    this.prometheusPort = builder.prometheusPort;
    this.tls = builder.tls;
    this.disabledResourceProviders = List.copyOf(builder.disabledResourceProviders);
    this.sdkTelemetry = builder.sdkTelemetry;
    this.exemplars = builder.exemplars;
  }

  /** A builder holding the defaults: what an absent {@code export} section means. */
  public static Builder builder() {
    return new Builder();
  }

  /** Collects the settings; each setter overrides a default. */
  public static final class Builder {
    private String endpoint;
    private String protocol;
    private Map<String, String> headers = Map.of();
    private Duration interval;
    private Duration timeout;
    private Duration shutdownTimeout = Duration.ofSeconds(5);
    private String serviceName;
    private Map<String, String> resourceAttributes = Map.of();
    private boolean otlpEnabled = true;
    private String prometheusHost;
    private OptionalInt prometheusPort = OptionalInt.empty();
    private Tls tls = Tls.NONE;
    private List<String> disabledResourceProviders = List.of();
    private boolean sdkTelemetry;
    private boolean exemplars = true;

    private Builder() {}

    public Builder endpoint(String endpoint) {
      this.endpoint = endpoint;
      return this;
    }

    public Builder protocol(String protocol) {
      this.protocol = protocol;
      return this;
    }

    public Builder headers(Map<String, String> headers) {
      this.headers = headers;
      return this;
    }

    public Builder interval(Duration interval) {
      this.interval = interval;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder shutdownTimeout(Duration shutdownTimeout) {
      this.shutdownTimeout = shutdownTimeout;
      return this;
    }

    public Builder serviceName(String serviceName) {
      this.serviceName = serviceName;
      return this;
    }

    public Builder resourceAttributes(Map<String, String> resourceAttributes) {
      this.resourceAttributes = resourceAttributes;
      return this;
    }

    public Builder otlpEnabled(boolean otlpEnabled) {
      this.otlpEnabled = otlpEnabled;
      return this;
    }

    /** Turns the Prometheus scrape endpoint on (it is off by default). */
    public Builder prometheus(String host, int port) {
      this.prometheusHost = host;
      this.prometheusPort = OptionalInt.of(port);
      return this;
    }

    public Builder tls(Tls tls) {
      this.tls = tls;
      return this;
    }

    public Builder disabledResourceProviders(List<String> disabledResourceProviders) {
      this.disabledResourceProviders = disabledResourceProviders;
      return this;
    }

    public Builder sdkTelemetry(boolean sdkTelemetry) {
      this.sdkTelemetry = sdkTelemetry;
      return this;
    }

    public Builder exemplars(boolean exemplars) {
      this.exemplars = exemplars;
      return this;
    }

    public ExportSettings build() {
      return new ExportSettings(this);
    }
  }

  /**
   * Whether persist calls made inside a sampled span are kept as exemplars: {@code export.exemplars}
   * (default true), unless {@code OTEL_METRICS_EXEMPLAR_FILTER} is {@code always_off}.
   */
  public boolean exemplars() {
    return exemplars;
  }

  /** {@code export.disabled_resource_providers}: names from {@link #RESOURCE_PROVIDERS} not to apply. */
  public List<String> disabledResourceProviders() {
    return disabledResourceProviders;
  }

  /** {@code export.sdk_telemetry}: whether the SDK's metrics about its own exports are exported too. */
  public boolean sdkTelemetry() {
    return sdkTelemetry;
  }

  public Tls tls() {
    return tls;
  }

  /** False when only the Prometheus endpoint should serve the metrics. */
  public boolean otlpEnabled() {
    return otlpEnabled;
  }

  /** The interface the Prometheus scrape endpoint binds to; null when the endpoint is off. */
  public String prometheusHost() {
    return prometheusHost;
  }

  /** The Prometheus scrape endpoint's port; empty when the endpoint is off (the default). */
  public OptionalInt prometheusPort() {
    return prometheusPort;
  }

  public String endpoint() {
    return endpoint;
  }

  public String protocol() {
    return protocol;
  }

  /** Header values are secrets: never log them. */
  public Map<String, String> headers() {
    return headers;
  }

  public Duration interval() {
    return interval;
  }

  public Duration timeout() {
    return timeout;
  }

  /** How long JVM exit may wait for the last export. */
  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  public String serviceName() {
    return serviceName;
  }

  public Map<String, String> resourceAttributes() {
    return resourceAttributes;
  }
}
