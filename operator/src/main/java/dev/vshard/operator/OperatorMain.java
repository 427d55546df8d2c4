package dev.vshard.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.util.concurrent.CountDownLatch;

/**
 * The operator process: settings from the environment (exit 2 with a message naming the variable
 * when one is wrong), the in-cluster or kubeconfig client, runs until SIGTERM.
 */
public final class OperatorMain {

  private OperatorMain() { }

  public static void main(String[] args) throws InterruptedException {
    OperatorSettings settings;
    try {
      settings = OperatorSettings.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("vshard-operator: " + e.getMessage());
      System.exit(2);
      return;
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    OperatorRunner runner = OperatorRunner.start(client, settings);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      runner.close();
      client.close();
      stopped.countDown();
    }, "vshard-operator-shutdown"));
    stopped.await();
  }
}
