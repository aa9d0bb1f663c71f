package dev.usagemetrics.agent.export.resource;

import io.opentelemetry.api.common.AttributesBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code container.id}, where the process's cgroup or mounts name the container it runs in
 * (Docker, Podman, containerd, CRI-O, Kubernetes): the 64-hex-digit id those runtimes give a
 * container. Outside a container, or where the id is not visible, nothing.
 */
public final class ContainerResourceProvider extends DetectedResourceProvider {

  private static final Path CGROUP = Path.of("/proc/self/cgroup");
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
  private static final int ID_LENGTH = 64;
  private static final String SCOPE_SUFFIX = ".scope";

  @Override
  void detect(AttributesBuilder attributes) {
    String id = fromCgroup(lines(CGROUP));
    putIfKnown(attributes, "container.id", id != null ? id : fromMountinfo(lines(MOUNTINFO)));
  }

  /**
   * From {@code /proc/self/cgroup} ({@code hierarchy:controllers:path} per line): the last path
   * segment that is a container id, bare ({@code /docker/<id>}, {@code /kubepods/.../<id>}) or in a
   * systemd scope name ({@code docker-<id>.scope}, {@code cri-containerd-<id>.scope},
   * {@code crio-<id>.scope}). With cgroup v2 and a private cgroup namespace the path is just
   * {@code /}; then the mounts tell.
   */
  static String fromCgroup(List<String> lines) {
    for (String line : lines) {
      int pathStart = line.indexOf(':', line.indexOf(':') + 1) + 1;
      if (pathStart == 0) {
        continue;
      }
      String[] segments = line.substring(pathStart).split("/");
      for (int i = segments.length - 1; i >= 0; i--) {
        String segment = segments[i].endsWith(SCOPE_SUFFIX)
            ? segments[i].substring(0, segments[i].length() - SCOPE_SUFFIX.length())
            : segments[i];
        String candidate =
            segment.substring(Math.max(segment.lastIndexOf('-'), segment.lastIndexOf(':')) + 1);
        if (isContainerId(candidate)) {
          return candidate;
        }
      }
    }
    return null;
  }

  /**
   * From {@code /proc/self/mountinfo}: the runtimes bind-mount the container's own
   * {@code hostname}, {@code hosts} and {@code resolv.conf} from a directory named after it,
   * {@code .../containers/<id>/...} (Docker) or {@code .../overlay-containers/<id>/...} (Podman,
   * CRI-O).
   */
  static String fromMountinfo(List<String> lines) {
    for (String line : lines) {
      // Segments between spaces (the fields) and slashes (the paths' parts), read in place: a
      // regular expression would cost milliseconds more while the SDK starts.
      String parent = null;
      int start = 0;
      for (int end = 0; end <= line.length(); end++) {
        if (end < line.length() && line.charAt(end) != ' ' && line.charAt(end) != '/') {
          continue;
        }
        String segment = line.substring(start, end);
        if (("containers".equals(parent) || "overlay-containers".equals(parent))
            && isContainerId(segment)) {
          return segment;
        }
        parent = segment;
        start = end + 1;
      }
    }
    return null;
  }

  private static boolean isContainerId(String text) {
    if (text.length() != ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  /** The file's lines; none when it does not exist (not Linux). */
  private static List<String> lines(Path file) {
    if (!Files.isReadable(file)) {
      return List.of();
    }
    try {
      // Read whole and split: cheaper at startup than a line reader, and these files are small.
      return List.of(Files.readString(file, StandardCharsets.UTF_8).split("\n"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
