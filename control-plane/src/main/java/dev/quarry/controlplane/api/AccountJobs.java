package dev.quarry.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.controlplane.keys.AccessKey;
import dev.quarry.controlplane.store.InvalidNextTokenException;
import dev.quarry.controlplane.store.JobPage;
import dev.quarry.controlplane.store.JobRecord;
import dev.quarry.controlplane.store.JobStore;
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
    return new ApiRequest(
        new Caller(key.accessKey(), key.account(), key.dataAccess()),
        params,
        query,
        body == null ? RestJsonIo.JSON.createObjectNode() : body);
  }
}
