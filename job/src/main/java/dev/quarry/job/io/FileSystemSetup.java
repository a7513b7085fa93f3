package dev.quarry.job.io;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.DefaultPluginManager;
import org.apache.flink.core.plugin.DirectoryBasedPluginFinder;
import org.apache.flink.core.plugin.PluginManager;

/**
 * Initializes Flink's file systems in a JVM that runs Flink without Flink's entry points (the
 * control plane's MiniCluster, tests): S3 comes from the flink-s3-fs-hadoop plugin folder, because
 * that jar bundles unrelocated Hadoop, Jackson and Guava that must not meet ours on one class path.
 *
 * <p>{@link FileSystem#initialize} is JVM-global: one S3 configuration per process.
 */
public final class FileSystemSetup {
  private FileSystemSetup() {}

  /**
   * @param pluginsDir folder holding {@code s3-fs-hadoop/flink-s3-fs-hadoop-*.jar}, or {@code null}
   *     for local files only
   * @param s3 how to reach S3
   */
  public static void initialize(Path pluginsDir, S3Settings s3) {
    Configuration conf = new Configuration();
    s3.applyTo(conf);
    PluginManager plugins = null;
    if (pluginsDir != null) {
      if (!Files.isDirectory(pluginsDir)) {
        throw new IllegalArgumentException(
            "Flink plugins folder " + pluginsDir + " does not exist; build the project first");
      }
      try {
        plugins =
            new DefaultPluginManager(
                new DirectoryBasedPluginFinder(pluginsDir).findPlugins(),
                CoreOptions.getPluginParentFirstLoaderPatterns(conf));
      } catch (java.io.IOException e) {
        throw new IllegalStateException("Cannot load Flink plugins from " + pluginsDir, e);
      }
    }
    FileSystem.initialize(conf, plugins);
  }
}
