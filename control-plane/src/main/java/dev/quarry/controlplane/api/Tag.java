package dev.quarry.controlplane.api;

/** A resource tag as Bedrock takes it: {@code {"key": …, "value": …}}. */
public record Tag(String key, String value) {}
