package dev.vshard.operator.node;

import dev.vshard.operator.model.PodIdentity;

/**
 * One node pod as the operator reaches it.
 *
 * @param identity name, uid, restart count and IP, to notice a replaced pod
 * @param adminPort the container port named {@code admin}
 * @param httpPort the container port named {@code http} (routing table)
 * @param ready whether the pod's Ready condition is True
 */
public record NodeEndpoint(PodIdentity identity, int adminPort, int httpPort, boolean ready) {

  public String name() {
    return identity.getName();
  }

  public String host() {
    return identity.getPodIP();
  }
}
