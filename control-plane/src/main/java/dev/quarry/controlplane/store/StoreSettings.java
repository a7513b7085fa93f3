package dev.quarry.controlplane.store;

import dev.quarry.job.secret.SecretRef;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the status store's database is, how many connections one control plane keeps to it, and the
 * role its jobs report progress as.
 */
public final class StoreSettings {
  /** The H2 database's file name (H2 adds {@code .mv.db}) inside the data directory. */
  static final String EMBEDDED_DATABASE_NAME = "quarry";

  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final int maxPoolSize;
  private final String progressUser;
  private final String progressPassword;
  private final SecretRef progressPasswordRef;

  private StoreSettings(Builder b) {
    this.jdbcUrl = Objects.requireNonNull(b.jdbcUrl, "jdbcUrl");
    this.user = b.user;
    this.password = b.password;
    this.maxPoolSize = b.maxPoolSize;
    this.progressUser = b.progressUser == null || b.progressUser.isBlank() ? null : b.progressUser;
    this.progressPassword =
        b.progressPassword == null || b.progressPassword.isBlank() ? null : b.progressPassword;
    this.progressPasswordRef = b.progressPasswordRef;
    if (maxPoolSize < 1) {
      throw new IllegalArgumentException("maxPoolSize must be at least 1, was " + maxPoolSize);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The default store: an H2 database in a file under {@code dataDir}, so jobs survive a restart
   * without a database server.
   *
   * <p>{@code AUTO_SERVER=TRUE}: the first process to open the file serves it over TCP to every
   * other process that opens the same URL (H2 writes the address and a random key into the lock
   * file), so Flink TaskManagers in other JVMs on this machine can report progress while the
   * control plane holds the database. Only a process that can read the data directory learns the
   * key. That server listens on 127.0.0.1 only ({@code H2Loopback}): H2 would otherwise open it on
   * every interface.
   *
   * <p>{@code MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH}: the schema and
   * queries are written once for PostgreSQL, the production store; in this mode H2 folds unquoted
   * names to lower case, sorts NULLs and parses the PostgreSQL spellings the way PostgreSQL does,
   * so what the tests prove on one database holds on the other.
   */
  public static StoreSettings embedded(Path dataDir) {
    Path file = dataDir.toAbsolutePath().normalize().resolve(EMBEDDED_DATABASE_NAME);
    return builder()
        .jdbcUrl(
            "jdbc:h2:file:"
                + file
                + ";AUTO_SERVER=TRUE;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH")
        .user("quarry")
        .password("")
        .maxPoolSize(8)
        .build();
  }

  public Builder toBuilder() {
    return new Builder()
        .jdbcUrl(jdbcUrl)
        .user(user)
        .password(password)
        .maxPoolSize(maxPoolSize)
        .progressUser(progressUser)
        .progressPassword(progressPassword)
        .progressPasswordRef(progressPasswordRef);
  }

  /** The JDBC URL, e.g. {@code jdbc:postgresql://db:5432/quarry}. */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** The database user, or {@code null}. */
  public String user() {
    return user;
  }

  /** The database password, or {@code null}; never printed. */
  public String password() {
    return password;
  }

  /** The most connections this control plane holds; 10 unless set. */
  public int maxPoolSize() {
    return maxPoolSize;
  }

  /**
   * The PostgreSQL role jobs report progress as, which the store creates with only the grants
   * progress needs; {@code null}: jobs report as {@link #user()} (always so on H2, whose grants are
   * per table).
   */
  public String progressUser() {
    return progressUser;
  }

  /**
   * The password the store gives {@link #progressUser()}, or {@code null} to derive one; never
   * printed.
   */
  public String progressPassword() {
    return progressPassword;
  }

  /** Where TaskManagers find the progress user's password, or {@code null}: in this JVM only. */
  public SecretRef progressPasswordRef() {
    return progressPasswordRef;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoreSettings s
        && jdbcUrl.equals(s.jdbcUrl)
        && Objects.equals(user, s.user)
        && Objects.equals(password, s.password)
        && maxPoolSize == s.maxPoolSize
        && Objects.equals(progressUser, s.progressUser)
        && Objects.equals(progressPassword, s.progressPassword)
        && Objects.equals(progressPasswordRef, s.progressPasswordRef);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        jdbcUrl, user, password, maxPoolSize, progressUser, progressPassword, progressPasswordRef);
  }

  @Override
  public String toString() {
    return "StoreSettings[jdbcUrl="
        + jdbcUrl
        + ", user="
        + user
        + ", password=***, maxPoolSize="
        + maxPoolSize
        + ", progressUser="
        + progressUser
        + ", progressPasswordRef="
        + progressPasswordRef
        + "]";
  }

  /** Builds {@link StoreSettings}. */
  public static final class Builder {
    private String jdbcUrl;
    private String user;
    private String password;
    private int maxPoolSize = 10;
    private String progressUser;
    private String progressPassword;
    private SecretRef progressPasswordRef;

    private Builder() {}

    public Builder progressUser(String progressUser) {
      this.progressUser = progressUser;
      return this;
    }

    public Builder progressPassword(String progressPassword) {
      this.progressPassword = progressPassword;
      return this;
    }

    public Builder progressPasswordRef(SecretRef progressPasswordRef) {
      this.progressPasswordRef = progressPasswordRef;
      return this;
    }

    public Builder jdbcUrl(String jdbcUrl) {
      this.jdbcUrl = jdbcUrl;
      return this;
    }

    public Builder user(String user) {
      this.user = user;
      return this;
    }

    public Builder password(String password) {
      this.password = password;
      return this;
    }

    public Builder maxPoolSize(int maxPoolSize) {
      this.maxPoolSize = maxPoolSize;
      return this;
    }

    public StoreSettings build() {
      return new StoreSettings(this);
    }
  }
}
