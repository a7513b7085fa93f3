package dev.quarry.controlplane.api;

import dev.quarry.controlplane.access.DataAccess;

/**
 * Who signed a request: the access key, the account it belongs to (every operation sees only that
 * account's jobs) and what that key's jobs may read and write.
 */
record Caller(String accessKey, String account, DataAccess access) {
  Caller {
    if (accessKey == null || account == null || access == null) {
      throw new IllegalArgumentException("accessKey, account and access are required");
    }
  }
}
