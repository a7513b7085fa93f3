package dev.quarry.controlplane.store;

import java.nio.file.Path;
import java.util.Objects;

/** Where the status store's database is and how many connections one control plane keeps to it. */
public final class StoreSettings {
  /** The H2 database's file name (H2 adds {@code .mv.db}) inside the data directory. */
  static final String EMBEDDED_DATABASE_NAME = "quarry";

  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final int maxPoolSize;

  private StoreSettings(Builder b) {
    this.jdbcUrl = Objects.requireNonNull(b.jdbcUrl, "jdbcUrl");
    this.user = b.user;
    this.password = b.password;
    this.maxPoolSize = b.maxPoolSize;
    if (maxPoolSize < 1) {
      throw new IllegalArgumentException("maxPoolSize must be at least 1, was " + maxPoolSize);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The default store: an H2 database in a file under {@code dataDir}, so jobs survive a restart without a
   * database server.
   *
   * <p>{@code AUTO_SERVER=TRUE}: the first process to open the file serves it over TCP to every other
   * process that opens the same URL (H2 writes the address and a random key into the lock file), so
   * Flink TaskManagers in other JVMs on this machine can report progress while the control plane holds
   * the database. Only a process that can read the data directory learns the key.
   *
   * <p>{@code MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH}: the schema and queries
   * are written once for PostgreSQL, the production store; in this mode H2 folds unquoted names to lower
   * case, sorts NULLs and parses the PostgreSQL spellings the way PostgreSQL does, so what the tests prove on
   * one database holds on the other.
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
    return new Builder().jdbcUrl(jdbcUrl).user(user).password(password).maxPoolSize(maxPoolSize);
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

  @Override
  public boolean equals(Object o) {
    return o instanceof StoreSettings s
        && jdbcUrl.equals(s.jdbcUrl)
        && Objects.equals(user, s.user)
        && Objects.equals(password, s.password)
        && maxPoolSize == s.maxPoolSize;
  }

  @Override
  public int hashCode() {
    return Objects.hash(jdbcUrl, user, password, maxPoolSize);
  }

  @Override
  public String toString() {
    return "StoreSettings[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=***, maxPoolSize=" + maxPoolSize + "]";
  }

  /** Builds {@link StoreSettings}. */
  public static final class Builder {
    private String jdbcUrl;
    private String user;
    private String password;
    private int maxPoolSize = 10;

    private Builder() {}

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
