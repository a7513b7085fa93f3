package dev.quarry.emulator.auth;

import dev.quarry.emulator.wire.ErrorShape;
import dev.quarry.emulator.wire.PercentDecoder;
import dev.quarry.emulator.wire.ServiceError;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a request's AWS Signature Version 4 against known access keys, as AWS does before a request reaches the
 * service: the signature is recomputed from the method, path, query, signed headers and body with the key's secret
 * and must match. Written from the SigV4 specification rather than with the SDK's signer, so that a test signing
 * with the SDK checks two independent implementations against each other.
 */
public final class SigV4Verifier {
    /** The signing name Bedrock Runtime requests must be scoped to. */
    public static final String SERVICE = "bedrock";
    private static final HexFormat HEX = HexFormat.of();
    private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

    private final Map<String, String> secrets;

    /** {@code secrets} maps access key ids to their secret keys. */
    public SigV4Verifier(Map<String, String> secrets) {
        this.secrets = Map.copyOf(secrets);
    }

    /**
     * Throws the 403 AWS would answer unless the request is signed by a known key for {@code bedrock}.
     *
     * @param method  the HTTP method
     * @param rawUri  the request target as sent (still percent-encoded), with its query
     * @param headers all values of a header by name, case-insensitively; empty if absent
     * @param body    the request body
     */
    public void verify(String method, String rawUri, Function<String, List<String>> headers, byte[] body) {
        List<String> authorization = headers.apply("Authorization");
        SigV4Authorization auth = SigV4Authorization.parse(authorization.isEmpty() ? null : authorization.get(0));
        String secret = secrets.get(auth.accessKeyId());
        if (secret == null) {
            throw new ServiceError(ErrorShape.UNRECOGNIZED_CLIENT, "The security token included in the request is "
                    + "invalid.");
        }
        if (!SERVICE.equals(auth.service())) {
            throw invalid("Credential should be scoped to correct service: '" + SERVICE + "'. ");
        }
        List<String> amzDate = headers.apply("X-Amz-Date");
        if (amzDate.isEmpty()) {
            throw new ServiceError(ErrorShape.INCOMPLETE_SIGNATURE, "Authorization header requires existence of a "
                    + "'X-Amz-Date' header.");
        }
        String timestamp = amzDate.get(0).trim();
        if (!timestamp.startsWith(auth.date())) {
            throw invalid("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
                    + auth.date() + "' != '" + timestamp + "'");
        }
        if (!auth.signedHeaders().contains("host")) {
            throw invalid("'Host' must be a signed header.");
        }
        String canonicalRequest = canonicalRequest(method, rawUri, headers, auth.signedHeaders(), body);
        String stringToSign = SigV4Authorization.ALGORITHM + "\n" + timestamp + "\n" + auth.scope() + "\n"
                + HEX.formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), auth.date());
        key = hmac(key, auth.region());
        key = hmac(key, auth.service());
        key = hmac(key, "aws4_request");
        byte[] expected = HEX.formatHex(hmac(key, stringToSign)).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, auth.signature().getBytes(StandardCharsets.US_ASCII))) {
            throw invalid("The request signature we calculated does not match the signature you provided. Check your "
                    + "AWS Secret Access Key and signing method. Consult the service documentation for details.");
        }
    }

    static String canonicalRequest(String method, String rawUri, Function<String, List<String>> headers,
                                   List<String> signedHeaders, byte[] body) {
        int q = rawUri.indexOf('?');
        String path = q < 0 ? rawUri : rawUri.substring(0, q);
        String query = q < 0 ? "" : rawUri.substring(q + 1);
        StringBuilder canonical = new StringBuilder(256)
                .append(method).append('\n')
                // Services other than S3 sign the already-encoded path encoded once more.
                .append(path.isEmpty() ? "/" : encode(path, true)).append('\n')
                .append(canonicalQuery(query)).append('\n');
        for (String name : signedHeaders) {
            canonical.append(name).append(':').append(canonicalValue(headers.apply(name))).append('\n');
        }
        canonical.append('\n').append(String.join(";", signedHeaders)).append('\n');
        // The hash of the body as received, not as declared in x-amz-content-sha256: a body changed on the way
        // must not verify.
        List<String> declared = headers.apply("x-amz-content-sha256");
        boolean unsigned = !declared.isEmpty() && UNSIGNED_PAYLOAD.equals(declared.get(0).trim());
        canonical.append(unsigned ? UNSIGNED_PAYLOAD : HEX.formatHex(sha256(body)));
        return canonical.toString();
    }

    private static String canonicalQuery(String query) {
        if (query.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            pairs.add(new String[] {encode(decode(name), false), encode(decode(value), false)});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        List<String> joined = new ArrayList<>(pairs.size());
        for (String[] p : pairs) {
            joined.add(p[0] + "=" + p[1]);
        }
        return String.join("&", joined);
    }

    // Values trimmed, inner runs of spaces collapsed, repeated headers joined with commas.
    private static String canonicalValue(List<String> values) {
        List<String> trimmed = new ArrayList<>(values.size());
        for (String v : values) {
            trimmed.add(v.trim().replaceAll(" +", " "));
        }
        return String.join(",", trimmed);
    }

    // RFC 3986 percent-encoding of everything but unreserved characters (and '/' in a path).
    static String encode(String s, boolean keepSlash) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            boolean unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~' || (keepSlash && c == '/');
            if (unreserved) {
                out.append(c);
            } else {
                out.append('%').append(HEX.withUpperCase().toHexDigits((byte) c));
            }
        }
        return out.toString();
    }

    private static String decode(String s) {
        return PercentDecoder.decode(s);
    }

    private static ServiceError invalid(String message) {
        return new ServiceError(ErrorShape.INVALID_SIGNATURE, message);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }
}
