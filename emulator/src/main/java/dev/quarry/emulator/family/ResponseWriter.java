package dev.quarry.emulator.family;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** Writes a family's response body for a completion. */
@FunctionalInterface
public interface ResponseWriter {
  /** Writes one complete JSON value. */
  void write(JsonGenerator json, Completion completion) throws IOException;
}
