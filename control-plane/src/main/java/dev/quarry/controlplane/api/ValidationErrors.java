package dev.quarry.controlplane.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects constraint violations and reports them the way AWS services do: {@code 2 validation
 * errors detected: Value 'x' at 'jobName' failed to satisfy constraint: …; …}.
 */
public final class ValidationErrors {
  private static final int MAX_QUOTED_VALUE = 100;
  private final List<String> errors = new ArrayList<>();

  /** A value broke a constraint; {@code value} may be {@code null} when there is none to show. */
  public void add(String field, Object value, String constraint) {
    String quoted = value == null ? "null" : "'" + shorten(String.valueOf(value)) + "'";
    errors.add(
        "Value " + quoted + " at '" + field + "' failed to satisfy constraint: " + constraint);
  }

  /** A required member is missing. */
  public void missing(String field) {
    errors.add(
        "Value null at '" + field + "' failed to satisfy constraint: Member must not be null");
  }

  public boolean isEmpty() {
    return errors.isEmpty();
  }

  /** Throws a ValidationException listing every violation, if there is any. */
  public void throwIfAny() {
    if (errors.isEmpty()) {
      return;
    }
    String head =
        errors.size() == 1
            ? "1 validation error detected: "
            : errors.size() + " validation errors detected: ";
    throw ApiException.validation(head + String.join("; ", errors));
  }

  private static String shorten(String s) {
    return s.length() <= MAX_QUOTED_VALUE ? s : s.substring(0, MAX_QUOTED_VALUE) + "…";
  }
}
