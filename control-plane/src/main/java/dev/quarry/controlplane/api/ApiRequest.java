package dev.quarry.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A decoded, signed API request.
 *
 * @param caller who signed it
 * @param pathParameters the percent-decoded path labels, in order
 * @param query the percent-decoded query parameters
 * @param body the JSON body ({@code {}} when there is none)
 */
record ApiRequest(
    Caller caller, List<String> pathParameters, Map<String, String> query, JsonNode body) {}
