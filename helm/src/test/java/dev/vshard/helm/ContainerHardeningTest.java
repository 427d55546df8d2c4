package dev.vshard.helm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every container of every value set runs hardened, and still has somewhere to write. */
class ContainerHardeningTest {

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void everyContainerIsHardened(ValueSet set) {
    Map<String, PodTemplateSpec> templates = set.render().podTemplates();
    assertThat(templates).isNotEmpty();
    templates.forEach((workload, template) -> {
      PodSpec pod = template.getSpec();
      PodSecurityContext podContext = pod.getSecurityContext();
      assertThat(podContext).as("%s pod securityContext", workload).isNotNull();
      assertThat(podContext.getRunAsNonRoot()).as("%s pod runAsNonRoot", workload).isTrue();
      assertThat(podContext.getRunAsUser()).as("%s pod runAsUser (numeric, not root)", workload).isNotNull().isPositive();
      assertThat(pod.getHostNetwork()).as("%s hostNetwork", workload).isNotEqualTo(Boolean.TRUE);
      assertThat(pod.getHostPID()).as("%s hostPID", workload).isNotEqualTo(Boolean.TRUE);

      for (Container container : allContainers(pod)) {
        String what = workload + " container " + container.getName();
        SecurityContext context = container.getSecurityContext();
        assertThat(context).as("%s securityContext", what).isNotNull();
        assertThat(context.getRunAsNonRoot()).as("%s runAsNonRoot", what).isTrue();
        assertThat(context.getReadOnlyRootFilesystem()).as("%s readOnlyRootFilesystem", what).isTrue();
        assertThat(context.getAllowPrivilegeEscalation()).as("%s allowPrivilegeEscalation", what).isFalse();
        assertThat(context.getPrivileged()).as("%s privileged", what).isNotEqualTo(Boolean.TRUE);
        assertThat(context.getCapabilities().getDrop()).as("%s capabilities.drop", what).containsExactly("ALL");
        assertThat(context.getCapabilities().getAdd()).as("%s capabilities.add", what).isNullOrEmpty();
        assertThat(context.getSeccompProfile().getType()).as("%s seccompProfile", what).isEqualTo("RuntimeDefault");
        assertThat(container.getResources().getRequests()).as("%s resource requests", what).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).as("%s resource limits", what).containsKey("memory");
        assertWritableTmp(what, container, pod);
      }
    });
  }

  /** With a read-only root filesystem the JVM needs /tmp on an emptyDir. */
  private static void assertWritableTmp(String what, Container container, PodSpec pod) {
    VolumeMount tmp = container.getVolumeMounts().stream()
        .filter(m -> "/tmp".equals(m.getMountPath())).findFirst()
        .orElseThrow(() -> new AssertionError(what + " has no volume at /tmp"));
    assertThat(tmp.getReadOnly()).as("%s /tmp read-only", what).isNotEqualTo(Boolean.TRUE);
    Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(tmp.getName())).findFirst()
        .orElseThrow(() -> new AssertionError(what + " mounts undefined volume " + tmp.getName()));
    assertThat(volume.getEmptyDir()).as("%s /tmp volume is an emptyDir", what).isNotNull();
  }

  private static List<Container> allContainers(PodSpec pod) {
    List<Container> containers = new ArrayList<>(pod.getContainers());
    if (pod.getInitContainers() != null) {
      containers.addAll(pod.getInitContainers());
    }
    return containers;
  }
}
