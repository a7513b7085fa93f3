package dev.quarry.controlplane.metrics;

import dev.quarry.controlplane.config.ControlPlaneConfig;
import dev.quarry.controlplane.cost.PriceTable;
import dev.quarry.controlplane.store.JdbcJobStore;
import dev.quarry.controlplane.store.StoreSettings;
import java.net.URI;
import java.nio.file.Path;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The metrics handler alone on a Jetty server on loopback, over an embedded status store: for tests
 * of access and scale that need no Flink (the control plane mounts the same handler, see {@link
 * MetricsEndToEndTest}).
 */
final class MetricsServer implements AutoCloseable {
  final JdbcJobStore store;
  private final Server server;
  private final ServerConnector connector;

  MetricsServer(Path dataDir, ControlPlaneConfig.Metrics settings) throws Exception {
    store = JdbcJobStore.open(StoreSettings.embedded(dataDir));
    try {
      server = new Server();
      connector = new ServerConnector(server);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      server.addConnector(connector);
      server.setHandler(new MetricsHandler(settings, store, PriceTable.load(null)));
      server.start();
    } catch (Exception | Error e) {
      store.close();
      throw e;
    }
  }

  /** {@code path} on this server, e.g. {@code /metrics}. */
  URI url(String path) {
    return URI.create("http://127.0.0.1:" + connector.getLocalPort() + path);
  }

  URI metrics() {
    return url(MetricsHandler.PATH);
  }

  @Override
  public void close() throws Exception {
    server.stop();
    store.close();
  }
}
