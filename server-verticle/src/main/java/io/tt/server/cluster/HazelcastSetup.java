package io.tt.server.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.tt.common.config.ServerConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * The Hazelcast member a clustered server runs: bound to {@code cluster-host} only, multicast off, phone-home off,
 * joining by a TCP-IP member list or, for {@code dns:NAME}, Kubernetes DNS discovery (a headless Service).
 */
public final class HazelcastSetup {

  public static final int PORT = 5701;
  /** Members on one address take ports 5701..5720: enough for several test members on loopback. */
  public static final int PORT_COUNT = 20;

  private HazelcastSetup() {
  }

  public static HazelcastClusterManager clusterManager(ServerConfig cfg) {
    return new HazelcastClusterManager(config(cfg));
  }

  static Config config(ServerConfig cfg) {
    Config hc = ConfigUtil.loadConfig(); // Vert.x's maps and multimaps, then our network
    hc.setClusterName(cfg.clusterName());
    hc.setProperty("hazelcast.phone.home.enabled", "false");
    hc.setProperty("hazelcast.socket.bind.any", "false");
    hc.setProperty("hazelcast.wait.seconds.before.join", "0");
    hc.setProperty("hazelcast.logging.type", "jdk");
    hc.setProperty("hazelcast.shutdownhook.enabled", "false");
    // Salts: the owner answers, the backup is written asynchronously (a handshake waits for one hop only).
    hc.addMapConfig(new com.hazelcast.config.MapConfig("tt.salts").setBackupCount(0).setAsyncBackupCount(1)
        .setStatisticsEnabled(false));
    NetworkConfig net = hc.getNetworkConfig();
    net.setPort(PORT).setPortAutoIncrement(true).setPortCount(PORT_COUNT);
    net.getInterfaces().setEnabled(true).setInterfaces(java.util.List.of(cfg.clusterHost()));
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    String first = cfg.clusterMembers().get(0);
    if (first.startsWith("dns:")) {
      join.getKubernetesConfig().setEnabled(true)
          .setProperty("service-dns", first.substring("dns:".length()))
          .setProperty("service-port", Integer.toString(PORT));
    } else {
      join.getTcpIpConfig().setEnabled(true).setMembers(cfg.clusterMembers()).setConnectionTimeoutSeconds(5);
    }
    return hc;
  }
}
