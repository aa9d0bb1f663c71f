package dev.usagemetrics.agent.export.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Container ids as the runtimes leave them in /proc/self/cgroup and /proc/self/mountinfo. */
class ContainerResourceProviderTest {

  private static final String ID =
      "3f4b2e8a9c1d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f";

  @Test
  void dockerWithCgroupV1() {
    assertEquals(
        ID,
        ContainerResourceProvider.fromCgroup(List.of(
            "12:pids:/docker/" + ID, "11:memory:/docker/" + ID, "1:name=systemd:/docker/" + ID)));
  }

  @Test
  void kubernetesWithCgroupV1() {
    assertEquals(
        ID,
        ContainerResourceProvider.fromCgroup(List.of(
            "4:cpu,cpuacct:/kubepods/burstable/pod2c48913c-b29f-11e7-9350-020968147796/" + ID)));
  }

  @Test
  void systemdScopesOfDockerContainerdAndCrio() {
    for (String scope : new String[] {"docker-", "cri-containerd-", "crio-"}) {
      assertEquals(
          ID,
          ContainerResourceProvider.fromCgroup(
              List.of("0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1.slice/"
                  + scope + ID + ".scope")),
          scope);
    }
  }

  @Test
  void containerdPathWithAColon() {
    assertEquals(
        ID,
        ContainerResourceProvider.fromCgroup(List.of(
            "0::/system.slice/containerd.service/kubepods-pod1.slice:cri-containerd:" + ID)));
  }

  @Test
  void noContainerInTheCgroup() {
    assertNull(
        ContainerResourceProvider.fromCgroup(List.of("0::/")),
        "cgroup v2 with a private namespace");
    assertNull(ContainerResourceProvider.fromCgroup(
        List.of("0::/user.slice/user-1000.slice/session-2.scope")));
    assertNull(
        ContainerResourceProvider.fromCgroup(
            List.of("4:memory:/process_api/532fa8908d0c0408d2c29e79fb524223")),
        "32 digits: not a container id");
    assertNull(ContainerResourceProvider.fromCgroup(List.of("")));
  }

  @Test
  void dockerWithCgroupV2FromTheMounts() {
    assertEquals(
        ID,
        ContainerResourceProvider.fromMountinfo(List.of(
            "612 590 0:52 / / rw,relatime master:267 - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/ABC",
            "640 612 254:1 /var/lib/docker/containers/" + ID
                + "/resolv.conf /etc/resolv.conf rw - ext4 /dev/vda1 rw",
            "641 612 254:1 /var/lib/docker/containers/" + ID
                + "/hostname /etc/hostname rw - ext4 /dev/vda1 rw")));
  }

  @Test
  void podmanAndCrioFromTheMounts() {
    assertEquals(
        ID,
        ContainerResourceProvider.fromMountinfo(
            List.of("1094 1080 0:106 /containers/storage/overlay-containers/" + ID
                + "/userdata/hostname /etc/hostname rw - tmpfs tmpfs rw")));
  }

  @Test
  void noContainerInTheMounts() {
    assertNull(ContainerResourceProvider.fromMountinfo(List.of(
        "22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw",
        "1500 1480 0:5 /var/lib/kubelet/pods/2c48913c/containers/app/0badcafe /dev/termination-log rw"
            + " - ext4 x rw")));
  }
}
