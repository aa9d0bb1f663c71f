package dev.usagemetrics.agent.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where and how metrics are exported, as written in the YAML file. Unset values are null: the
 * standard OpenTelemetry variables or the SDK's defaults then apply.
 */
public final class ExportSettings {

  /**
   * What the agent detects about where it runs, one resource provider each: {@code host}
   * (host.name, host.arch), {@code os} (os.type, os.description), {@code process} (process.pid,
   * process.executable.path), {@code runtime} (process.runtime.*), {@code container} (container.id).
   */
  public static final Set<String> RESOURCE_PROVIDERS = Set.of("host", "os", "process", "runtime", "container");

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
  private final int prometheusPort;
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

  public ExportSettings(
      String endpoint,
      String protocol,
      Map<String, String> headers,
      Duration interval,
      Duration timeout,
      Duration shutdownTimeout,
      String serviceName,
      Map<String, String> resourceAttributes,
      boolean otlpEnabled,
      String prometheusHost,
      int prometheusPort,
      Tls tls,
      List<String> disabledResourceProviders,
      boolean sdkTelemetry,
      boolean exemplars) {
    this.endpoint = endpoint;
    this.protocol = protocol;
    this.headers = Map.copyOf(headers);
    this.interval = interval;
    this.timeout = timeout;
    this.shutdownTimeout = shutdownTimeout;
    this.serviceName = serviceName;
    this.resourceAttributes = Map.copyOf(resourceAttributes);
    this.otlpEnabled = otlpEnabled;
    this.prometheusHost = prometheusHost;
    this.prometheusPort = prometheusPort;
    this.tls = tls;
    this.disabledResourceProviders = List.copyOf(disabledResourceProviders);
    this.sdkTelemetry = sdkTelemetry;
    this.exemplars = exemplars;
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

  /** The interface the Prometheus scrape endpoint binds to (loopback unless configured). */
  public String prometheusHost() {
    return prometheusHost;
  }

  /** The Prometheus scrape endpoint's port; -1 when the endpoint is off (the default). */
  public int prometheusPort() {
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
