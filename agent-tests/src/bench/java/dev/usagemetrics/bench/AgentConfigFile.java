package dev.usagemetrics.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes our agent's configuration: the bench targets, quiet, exporting to {@code endpoint} hourly (and at exit). */
final class AgentConfigFile {

  private AgentConfigFile() {}

  static Path write(Path file, String endpoint) throws IOException {
    String yaml =
        """
        persist:
          targets:
            - class: %s
              methods: [persist, persistFailing]
        queue:
          targets:
            - class: %s
              enqueue: [offer]
              dequeue: [poll]
        log:
          level: quiet
        export:
          endpoint: %s
          protocol: http/protobuf
          interval: 1h
          shutdown_timeout: 2s
        """
            .formatted(BenchRepository.class.getName(), BenchQueue.class.getName(), endpoint);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, yaml);
  }
}
