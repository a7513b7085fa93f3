package dev.quarry.job.progress;

import dev.quarry.job.spec.StatusStoreAddress;
import java.time.Clock;
import java.util.Objects;

/** Creates {@link JdbcProgressReporter}s that write to the status store at one JDBC address. */
public final class JdbcProgressReporterFactory implements ProgressReporterFactory {
  private static final long serialVersionUID = 1L;

  private final StatusStoreAddress address;

  public JdbcProgressReporterFactory(StatusStoreAddress address) {
    this.address = Objects.requireNonNull(address, "address");
  }

  /** The address the reporters write to. */
  public StatusStoreAddress address() {
    return address;
  }

  /** A reporter that opens its connection on its first report and closes it in {@code close()}. */
  @Override
  public ProgressReporter create(String jobId) {
    return new JdbcProgressReporter(address, jobId, Clock.systemUTC());
  }

  @Override
  public String toString() {
    return "JdbcProgressReporterFactory[" + address + "]";
  }
}
