package dev.quarry.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.controlplane.keys.AccessKey;
import dev.quarry.controlplane.store.InvalidNextTokenException;
import dev.quarry.controlplane.store.JobPage;
import dev.quarry.controlplane.store.JobRecord;
import dev.quarry.controlplane.store.JobStore;
import dev.quarry.job.spec.RecordFormat;
import java.util.List;
import java.util.Map;

/**
 * The job operations as a signed-in key of the console may call them: the very checks of the REST
 * API (account scoping, allow-lists, model families, queue quota, request rate, validation
 * messages), for a caller authenticated otherwise than by a signature. Failures are {@link
 * ApiException}s.
 */
public final class AccountJobs {
  private final JobOperations jobs;
  private final JobStore store;
  private final AccountRequestRate rate;

  AccountJobs(JobOperations jobs, JobStore store, AccountRequestRate rate) {
    this.jobs = jobs;
    this.store = store;
    this.rate = rate;
  }

  /** Create, as {@code POST /model-invocation-job} with this body; returns {@code {"jobArn"}}. */
  public JsonNode create(AccessKey key, JsonNode body) {
    return jobs.create(request(key, List.of(), Map.of(), body));
  }

  /**
   * Create, as {@code POST /model-invocation-job} with this body, for a job whose lines are in
   * {@code format}, on behalf of a request the account already paid for (an OpenAI batch, created
   * once its input passed validation): it takes nothing from the account's request rate.
   */
  public JsonNode submit(AccessKey key, JsonNode body, RecordFormat format) {
    return jobs.create(unmetered(key, List.of(), body), format);
  }

  /**
   * Throws what Create of a job reading {@code inputUri} and writing {@code outputUri} would throw
   * for the key's allow-lists ({@code AccessDeniedException}) and its account's queue ({@code
   * ServiceQuotaExceededException}), creating nothing.
   */
  public void checkCreate(AccessKey key, String inputUri, String outputUri) {
    jobs.checkAccessAndQueue(
        new Caller(key.accessKey(), key.account(), key.dataAccess()), inputUri, outputUri);
  }

  /** Takes one request from the key's account's request rate; a 429 ThrottlingException past it. */
  public void acquireRequest(AccessKey key) {
    rate.acquire(key.account());
  }

  /**
   * Stop, as {@code POST /model-invocation-job/{id}/stop}, taking nothing from the request rate.
   */
  public void stopUnmetered(AccessKey key, String jobIdentifier) {
    jobs.stop(unmetered(key, List.of(jobIdentifier), null));
  }

  /** The key's account's job with this id or ARN; ResourceNotFoundException for any other. */
  public JobRecord job(AccessKey key, String jobIdentifier) {
    return jobs.callersJob(request(key, List.of(jobIdentifier), Map.of(), null));
  }

  /** Stop, as {@code POST /model-invocation-job/{id}/stop}. */
  public void stop(AccessKey key, String jobIdentifier) {
    jobs.stop(request(key, List.of(jobIdentifier), Map.of(), null));
  }

  /**
   * One page of the account's jobs, with the query parameters of {@code GET
   * /model-invocation-jobs}.
   */
  public JobPage list(AccessKey key, Map<String, String> query) {
    rate.acquire(key.account());
    try {
      return store.list(JobOperations.query(query, key.account()));
    } catch (InvalidNextTokenException e) {
      throw ApiException.validation("Invalid nextToken: " + e.getMessage());
    }
  }

  /** The job as Get shows it. */
  public static ObjectNode view(JobRecord job) {
    return JobView.of(job);
  }

  private ApiRequest request(
      AccessKey key, List<String> params, Map<String, String> query, JsonNode body) {
    rate.acquire(key.account());
    return unmetered(key, params, body, query);
  }

  private static ApiRequest unmetered(AccessKey key, List<String> params, JsonNode body) {
    return unmetered(key, params, body, Map.of());
  }

  private static ApiRequest unmetered(
      AccessKey key, List<String> params, JsonNode body, Map<String, String> query) {
    return new ApiRequest(
        new Caller(key.accessKey(), key.account(), key.dataAccess()),
        params,
        query,
        body == null ? RestJsonIo.JSON.createObjectNode() : body);
  }
}
