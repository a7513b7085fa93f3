package dev.quarry.job.progress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.h2.engine.SysProperties;

/**
 * Keeps the embedded status store's H2 TCP server on the loopback interface. The first process to
 * open the H2 file with {@code AUTO_SERVER=TRUE} serves it to the others, and H2 opens that server
 * on every interface, accepting remote clients, unless the system property {@code h2.bindAddress}
 * is set; H2 reads it once, when its {@code SysProperties} class is initialised. So this must run
 * before the process first uses H2: the control plane before it opens the store, a TaskManager
 * before it loads the driver.
 */
public final class H2Loopback {
  /** H2's system property for the address its servers bind to and announce. */
  public static final String BIND_ADDRESS_PROPERTY = "h2.bindAddress";

  private H2Loopback() {}

  /**
   * Whether a process opening {@code jdbcUrl} may start an H2 server for others ({@code
   * AUTO_SERVER=TRUE}).
   */
  public static boolean servesOthers(String jdbcUrl) {
    return jdbcUrl.startsWith("jdbc:h2:")
        && jdbcUrl.toUpperCase(java.util.Locale.ROOT).contains(";AUTO_SERVER=TRUE");
  }

  /**
   * Binds H2's servers in this JVM to 127.0.0.1, unless {@code h2.bindAddress} already names a
   * loopback address.
   *
   * @throws IllegalStateException if H2 in this class loader already uses another address (it was
   *     initialised earlier, or the property names a non-loopback address)
   */
  public static void bind() {
    if (System.getProperty(BIND_ADDRESS_PROPERTY) == null) {
      System.setProperty(BIND_ADDRESS_PROPERTY, "127.0.0.1");
    }
    String effective = SysProperties.BIND_ADDRESS;
    if (!isLoopback(effective)) {
      throw new IllegalStateException(
          "H2 would serve the status store on "
              + (effective == null ? "every interface" : effective)
              + ", not on loopback only: start this JVM with -D"
              + BIND_ADDRESS_PROPERTY
              + "=127.0.0.1");
    }
  }

  private static boolean isLoopback(String address) {
    if (address == null || address.isBlank()) {
      return false;
    }
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
