package dev.usagemetrics.agent.export.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.agent.config.ExportSettings;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the providers detect, and how autoconfigure combines it with the user's settings. */
class DetectedResourceTest {

  private static final AttributeKey<String> HOST_NAME = AttributeKey.stringKey("host.name");
  private static final AttributeKey<Long> PROCESS_PID = AttributeKey.longKey("process.pid");

  /** The resource the agent's SDK would export with these properties (and the providers on the class path). */
  private static Resource resource(Map<String, String> properties) {
    Map<String, String> all = new HashMap<>(properties);
    all.put("otel.metrics.exporter", "none");
    all.put("otel.traces.exporter", "none");
    all.put("otel.logs.exporter", "none");
    Resource[] built = new Resource[1];
    AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> all)
        .addResourceCustomizer((resource, config) -> built[0] = resource)
        .disableShutdownHook()
        .build()
        .getOpenTelemetrySdk()
        .close();
    return built[0];
  }

  @Test
  void theServiceFileNamesEveryProviderAndNothingElse() throws IOException {
    try (InputStream file = DetectedResourceProvider.class.getResourceAsStream(
        "/META-INF/services/io.opentelemetry.sdk.autoconfigure.spi.ResourceProvider")) {
      Set<String> listed = new String(file.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .collect(Collectors.toSet());
      Set<String> named = ExportSettings.RESOURCE_PROVIDERS.stream()
          .map(ResourceProviders::className)
          .collect(Collectors.toSet());
      assertEquals(named, listed);
      assertFalse(
          named.contains(null), "every name of export.disabled_resource_providers is a provider");
    }
  }

  @Test
  void theStandardAttributesAreDetected() {
    Resource resource = resource(Map.of());
    Map<String, Object> attributes = new HashMap<>();
    resource.getAttributes().forEach((key, value) -> attributes.put(key.getKey(), value));

    assertEquals(ProcessHandle.current().pid(), attributes.get("process.pid"));
    assertEquals(
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
        attributes.get("process.executable.path"));
    assertEquals(
        System.getProperty("java.runtime.version"), attributes.get("process.runtime.version"));
    assertEquals(System.getProperty("java.runtime.name"), attributes.get("process.runtime.name"));
    String runtimeDescription = String.valueOf(attributes.get("process.runtime.description"));
    assertTrue(
        runtimeDescription.contains(System.getProperty("java.vm.name")), attributes.toString());
    assertEquals("linux", attributes.get("os.type"));
    assertEquals("Linux " + System.getProperty("os.version"), attributes.get("os.description"));
    assertEquals("amd64", attributes.get("host.arch"));
    assertNotNull(attributes.get("host.name"));
    assertFalse(
        attributes.containsKey("process.command_line")
            || attributes.containsKey("process.command_args"),
        "never the command line");
  }

  @Test
  void resourceAttributesOverrideWhatIsDetected() {
    Resource resource =
        resource(Map.of("otel.resource.attributes", "host.name=edge-7,process.pid=1"));
    assertEquals("edge-7", resource.getAttribute(HOST_NAME));
    assertEquals(
        List.of("1"),
        resource.getAttributes().asMap().entrySet().stream()
            .filter(e -> e.getKey().getKey().equals("process.pid"))
            .map(e -> e.getValue())
            .collect(Collectors.toList()),
        "one process.pid, the user's (a string there, as OTEL_RESOURCE_ATTRIBUTES has only strings)");
  }

  @Test
  void disabledProvidersDetectNothing() {
    Resource resource = resource(Map.of(
        "otel.java.disabled.resource.providers",
        ResourceProviders.className("process") + "," + ResourceProviders.className("host")));
    assertNull(resource.getAttribute(PROCESS_PID));
    assertNull(resource.getAttribute(HOST_NAME));
    assertNotNull(
        resource.getAttribute(AttributeKey.stringKey("os.type")), "the others still apply");
  }

  @Test
  void hostNameIsTheKernelsWithoutAskingDns(@TempDir Path dir) throws IOException {
    Path kernel = Files.writeString(dir.resolve("hostname"), "billing-api-7\n");
    assertEquals("billing-api-7", HostResourceProvider.hostName(kernel));
    assertEquals(
        System.getenv("HOSTNAME") != null
            ? System.getenv("HOSTNAME")
            : System.getenv("COMPUTERNAME"),
        HostResourceProvider.hostName(dir.resolve("absent")),
        "elsewhere, what the environment says");
  }

  @Test
  void architecturesAndOperatingSystemsUseTheSemanticConventionsValues() {
    assertEquals("amd64", HostResourceProvider.arch("x86_64"));
    assertEquals("arm64", HostResourceProvider.arch("aarch64"));
    assertEquals("x86", HostResourceProvider.arch("i686"));
    assertEquals("ppc64", HostResourceProvider.arch("ppc64le"));
    assertEquals(
        "riscv64", HostResourceProvider.arch("riscv64"), "not listed: as the JVM names it");
    assertEquals("darwin", OsResourceProvider.type("Mac OS X"));
    assertEquals("windows", OsResourceProvider.type("Windows Server 2022"));
    assertEquals("z_os", OsResourceProvider.type("z/OS"));
    assertNull(OsResourceProvider.type("Plan 9"));
  }
}
