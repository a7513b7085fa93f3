package dev.quarry.controlplane.console;

import java.net.URI;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Whether a console call comes from a page of the console itself. A call that changes something
 * must carry an {@code Origin} naming this server's host (as the browser reached it: the {@code
 * Host} header, so it holds behind a proxy that keeps it); a read may omit it, as browsers do for
 * same-origin GETs, but may not name another origin or come from another site ({@code
 * Sec-Fetch-Site}).
 */
final class SameOrigin {
  private SameOrigin() {}

  static boolean allows(Request request) {
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    String site = request.getHeaders().get("Sec-Fetch-Site");
    if (site != null && !site.equals("same-origin") && !site.equals("none")) {
      return false;
    }
    boolean changes = !request.getMethod().equals("GET") && !request.getMethod().equals("HEAD");
    if (origin == null) {
      return !changes;
    }
    String host = request.getHeaders().get(HttpHeader.HOST);
    if (host == null || origin.equals("null")) {
      return false;
    }
    try {
      return host.equalsIgnoreCase(URI.create(origin).getRawAuthority());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
