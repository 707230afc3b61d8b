package dev.tracelight.agent.sdk;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The container id as runtimes expose it to the process: in cgroup v1 paths ({@code /proc/self/cgroup}, e.g.
 * {@code .../docker-<id>.scope}, {@code .../cri-containerd-<id>.scope}, {@code /kubepods/.../<id>}), or with cgroup v2
 * in the mount of the container's own files ({@code /proc/self/mountinfo}, {@code .../containers/<id>/hostname}).
 */
final class ContainerId {
  private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern CGROUP_LAST_SEGMENT =
      Pattern.compile("(?:^|[-:/])([0-9a-f]{64})(?:\\.scope)?$");
  private static final Pattern MOUNTINFO_CONTAINER = Pattern.compile("/containers/([0-9a-f]{64})/");

  private ContainerId() {}

  static String of(List<String> cgroupLines, List<String> mountinfoLines) {
    String id = fromCgroup(cgroupLines);
    return id != null ? id : fromMountinfo(mountinfoLines);
  }

  static String fromCgroup(List<String> lines) {
    for (String line : lines) {
      Matcher matcher = CGROUP_LAST_SEGMENT.matcher(line.trim());
      if (matcher.find()) {
        return matcher.group(1);
      }
    }
    return null;
  }

  static String fromMountinfo(List<String> lines) {
    for (String line : lines) {
      // sandbox (pause container) mounts name the pod's sandbox, not this container
      if (line.contains("/sandboxes/")) {
        continue;
      }
      Matcher matcher = MOUNTINFO_CONTAINER.matcher(line);
      if (matcher.find() && ID.matcher(matcher.group(1)).matches()) {
        return matcher.group(1);
      }
    }
    return null;
  }
}
