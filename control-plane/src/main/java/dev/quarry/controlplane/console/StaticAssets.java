package dev.quarry.controlplane.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The console's pages, styles and scripts, read once from the classpath ({@code /console/}). Only
 * these names are served, so no request path can reach another resource.
 */
final class StaticAssets {
  static final List<String> NAMES =
      List.of(
          "index.html",
          "job.html",
          "create.html",
          "signin.html",
          "console.css",
          "console.js",
          "jobs.js",
          "job.js",
          "create.js",
          "signin.js");

  /** One file: its bytes and content type. */
  record Asset(byte[] bytes, String contentType) {}

  private final Map<String, Asset> assets = new HashMap<>();

  StaticAssets() {
    for (String name : NAMES) {
      try (InputStream in = StaticAssets.class.getResourceAsStream("/console/" + name)) {
        if (in == null) {
          throw new IllegalStateException(
              "Console resource /console/" + name + " is missing from the classpath");
        }
        assets.put(name, new Asset(in.readAllBytes(), contentType(name)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The asset at {@code path} relative to the console ("" is the jobs page). */
  Optional<Asset> find(String path) {
    return Optional.ofNullable(assets.get(path.isEmpty() ? "index.html" : path));
  }

  private static String contentType(String name) {
    if (name.endsWith(".html")) {
      return "text/html; charset=utf-8";
    }
    if (name.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    return "text/javascript; charset=utf-8";
  }
}
