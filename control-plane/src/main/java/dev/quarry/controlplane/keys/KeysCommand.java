package dev.quarry.controlplane.keys;

import dev.quarry.controlplane.config.ConfigSource;
import dev.quarry.controlplane.config.ControlPlaneConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code scripts/quarry keys create|list|revoke|api-key|show-s3}: manages the data directory's key
 * file. A running control plane picks the change up within seconds.
 */
public final class KeysCommand {
  private KeysCommand() {}

  public static void main(String[] args) {
    int status;
    try {
      status = run(args, System.out);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      status = 2;
    } catch (IOException e) {
      System.err.println(e.getMessage());
      status = 1;
    }
    System.exit(status);
  }

  /** Runs one command, printing to {@code out}; returns the exit status. */
  public static int run(String[] args, PrintStream out) throws IOException {
    if (args.length == 0) {
      throw new IllegalArgumentException(usage());
    }
    String command = args[0];
    Path config = Path.of("conf", "quarry.properties");
    Path dataDir = null;
    String account = null;
    List<String> allowInput = new ArrayList<>();
    List<String> allowOutput = new ArrayList<>();
    List<String> positional = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--data-dir" -> dataDir = Path.of(value(args, ++i));
        case "--config" -> config = Path.of(value(args, ++i));
        case "--account" -> account = value(args, ++i);
        case "--allow-input" -> allowInput.add(value(args, ++i));
        case "--allow-output" -> allowOutput.add(value(args, ++i));
        default -> {
          if (args[i].startsWith("--")) {
            throw new IllegalArgumentException("Unknown option " + args[i] + "\n" + usage());
          }
          positional.add(args[i]);
        }
      }
    }
    ControlPlaneConfig settings = ControlPlaneConfig.from(ConfigSource.load(config));
    Path directory = dataDir != null ? dataDir : settings.dataDir();
    Path file = KeyFile.in(directory);
    switch (command) {
      case "create" -> {
        expect(positional, 0);
        AccessKey key =
            new KeyGenerator()
                .generate(
                    account != null ? account : settings.api().accountId(),
                    allowInput,
                    allowOutput);
        List<AccessKey> keys = new ArrayList<>(KeyFile.read(file));
        keys.add(key);
        KeyFile.write(file, keys);
        out.println("account: " + key.account());
        out.println("access-key: " + key.accessKey());
        out.println("secret-key: " + key.secretKey());
        out.println("api-key: " + ApiKeys.of(key));
        out.println("allow-input: " + describe(key.allowInput()));
        out.println("allow-output: " + describe(key.allowOutput()));
        return 0;
      }
      case "list" -> {
        expect(positional, 0);
        for (AccessKey key : KeyFile.read(file)) {
          out.println(
              key.accessKey()
                  + " "
                  + key.account()
                  + " input="
                  + describe(key.allowInput())
                  + " output="
                  + describe(key.allowOutput()));
        }
        return 0;
      }
      case "revoke" -> {
        expect(positional, 1);
        String accessKey = positional.get(0);
        List<AccessKey> keys = new ArrayList<>(KeyFile.read(file));
        if (!keys.removeIf(k -> k.accessKey().equals(accessKey))) {
          throw new IOException("No access key " + accessKey + " in " + file);
        }
        KeyFile.write(file, keys);
        out.println("revoked: " + accessKey);
        return 0;
      }
      case "api-key" -> {
        expect(positional, 1);
        String accessKey = positional.get(0);
        AccessKey key =
            KeyFile.read(file).stream()
                .filter(k -> k.accessKey().equals(accessKey))
                .findFirst()
                .orElseThrow(() -> new IOException("No access key " + accessKey + " in " + file));
        out.println("api-key: " + ApiKeys.of(key));
        return 0;
      }
      case "show-s3" -> {
        // For scripts/flink-cluster start --keys-from, which reads it through a pipe: the secret is
        // never
        // a process argument. Creating the key here lets the cluster start before serve ever ran.
        expect(positional, 0);
        AccessKey key =
            StackKey.of(directory, account != null ? account : settings.api().accountId());
        out.println("access-key: " + key.accessKey());
        out.println("secret-key: " + key.secretKey());
        return 0;
      }
      default -> throw new IllegalArgumentException("Unknown command " + command + "\n" + usage());
    }
  }

  /** Prefixes as a user reads them; an empty list allows nothing, which the output says. */
  private static String describe(List<String> prefixes) {
    return prefixes.isEmpty() ? "(none: nothing allowed)" : String.join(" ", prefixes);
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException("Missing value after " + args[i - 1] + "\n" + usage());
    }
    return args[i];
  }

  private static void expect(List<String> positional, int count) {
    if (positional.size() != count) {
      throw new IllegalArgumentException(usage());
    }
  }

  static String usage() {
    return "Usage: scripts/quarry keys create [--account ID] [--allow-input S3_URI_PREFIX]... "
        + "[--allow-output S3_URI_PREFIX]... [--data-dir DIR] [--config FILE]\n"
        + "         (a key may read and write only under its prefixes; s3:// allows every bucket)\n"
        + "       scripts/quarry keys list [--data-dir DIR] [--config FILE]\n"
        + "       scripts/quarry keys revoke ACCESS_KEY [--data-dir DIR] [--config FILE]\n"
        + "       scripts/quarry keys api-key ACCESS_KEY [--data-dir DIR] [--config FILE]\n"
        + "         (the key's OpenAI API key, for Authorization: Bearer on /v1)\n"
        + "       scripts/quarry keys show-s3 [--data-dir DIR] [--config FILE]\n"
        + "         (the pair scripts/quarry serve gives its local S3: the first key, created if there is none)";
  }
}
