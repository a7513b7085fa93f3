package dev.quarry.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.controlplane.lifecycle.JobCommands;
import dev.quarry.controlplane.routes.ModelCatalog;
import dev.quarry.controlplane.store.InvalidNextTokenException;
import dev.quarry.controlplane.store.JobPage;
import dev.quarry.controlplane.store.JobQuery;
import dev.quarry.controlplane.store.JobRecord;
import dev.quarry.controlplane.store.JobStatus;
import dev.quarry.controlplane.store.JobStore;
import dev.quarry.controlplane.store.SortOrder;
import dev.quarry.job.model.InvokeModelFamilies;
import dev.quarry.job.spec.InvocationType;
import dev.quarry.job.spec.RecordFormat;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Create, Get, List and Stop of model invocation jobs, each scoped to the caller's account: another
 * account's job answers as if it did not exist.
 */
final class JobOperations {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int DEFAULT_MAX_RESULTS = 100;

  /** The statuses of a job that waits: what the per-account queue quota counts. */
  static final Set<JobStatus> QUEUED =
      EnumSet.of(JobStatus.SUBMITTED, JobStatus.VALIDATING, JobStatus.SCHEDULED);

  private final JobStore store;
  private final JobCommands lifecycle;
  private final InvokeModelFamilies families;
  private final ModelCatalog routes;
  private final DataAccessCheck access;
  private final int maxQueuedJobs;

  JobOperations(
      JobStore store,
      JobCommands lifecycle,
      InvokeModelFamilies families,
      ModelCatalog routes,
      DataAccessCheck access,
      int maxQueuedJobs) {
    this.store = store;
    this.lifecycle = lifecycle;
    this.families = families;
    this.routes = routes;
    this.access = access;
    this.maxQueuedJobs = maxQueuedJobs;
  }

  /**
   * {@code POST /model-invocation-job}: the same token returns the same job and starts nothing,
   * even when the account's queue is full or its allow-lists changed since.
   */
  JsonNode create(ApiRequest request) {
    return create(request, RecordFormat.BEDROCK);
  }

  /** Create, for a job whose lines are in {@code format}. */
  JsonNode create(ApiRequest request, RecordFormat format) {
    CreateJobRequest create = CreateJobRequest.parse(request.body());
    Caller caller = request.caller();
    if (create.clientRequestToken() != null) {
      Optional<JobRecord> earlier =
          store.findByClientRequestToken(caller.account(), create.clientRequestToken());
      if (earlier.isPresent()) {
        return JSON.createObjectNode().put("jobArn", earlier.get().jobArn());
      }
    }
    checkModelFamily(create);
    access.check(caller, create);
    checkQueue(caller);
    JobRecord job = lifecycle.create(create, caller.account(), format).job();
    return JSON.createObjectNode().put("jobArn", job.jobArn());
  }

  /**
   * What Create of a job on these URIs would refuse for its allow-lists and the account's queue,
   * without creating anything: for callers that create the job later.
   */
  void checkAccessAndQueue(Caller caller, String inputUri, String outputUri) {
    access.checkUris(caller, inputUri, outputUri);
    checkQueue(caller);
  }

  /**
   * One account cannot fill the queue for everyone. Counted, then created: two Creates racing at
   * the limit can both pass, so the cap may be passed by the number of concurrent Creates.
   */
  private void checkQueue(Caller caller) {
    int queued = store.countByStatus(caller.account(), QUEUED);
    if (queued >= maxQueuedJobs) {
      throw new ApiException(
          400,
          "ServiceQuotaExceededException",
          "Account "
              + caller.account()
              + " has "
              + queued
              + " jobs waiting (Submitted, Validating or Scheduled); the limit is "
              + maxQueuedJobs
              + ". Create it again when some have started or ended");
    }
  }

  /**
   * An InvokeModel job on a model whose request body Quarry cannot form would only produce error
   * lines, so it is refused now; Converse has one body for every model. A model the catalog sends
   * to an OpenAI-compatible server needs a body family Quarry translates.
   */
  private void checkModelFamily(CreateJobRequest create) {
    boolean invokeModel =
        create.modelInvocationType() == null
            || create.modelInvocationType().equals(InvocationType.INVOKE_MODEL.wireName());
    if (invokeModel && !routes.routeFor(create.modelId()).isBedrock()) {
      routes
          .invokeModelRefusal(create.modelId())
          .ifPresent(
              reason -> {
                ValidationErrors errors = new ValidationErrors();
                errors.add("modelId", create.modelId(), reason);
                errors.throwIfAny();
              });
      return;
    }
    if (invokeModel && !families.supports(create.modelId())) {
      ValidationErrors errors = new ValidationErrors();
      errors.add(
          "modelId",
          create.modelId(),
          "Quarry cannot form an InvokeModel request for this model's family;"
              + " supported families (foundation-model id prefixes): "
              + families
              + ". Use modelInvocationType Converse, or allow the family with quarry.validation.invoke-model-families");
      errors.throwIfAny();
    }
  }

  /** {@code GET /model-invocation-job/{jobIdentifier}}: by ARN or bare id. */
  JsonNode get(ApiRequest request) {
    return JobView.of(callersJob(request));
  }

  /** {@code POST /model-invocation-job/{jobIdentifier}/stop}: 200 with an empty body. */
  JsonNode stop(ApiRequest request) {
    lifecycle.stop(callersJob(request).jobId());
    return JSON.createObjectNode();
  }

  /**
   * The job a {@code jobIdentifier} names, if the caller's account owns it; an ARN must be the
   * job's own ARN. Anything else is the same ResourceNotFoundException, so ids of other accounts'
   * jobs cannot be probed.
   */
  JobRecord callersJob(ApiRequest request) {
    String identifier = request.pathParameters().get(0);
    String jobId = JobArns.jobId(identifier, "jobIdentifier");
    return OwnedJob.find(
            store, request.caller(), jobId, identifier.startsWith("arn:") ? identifier : null)
        .orElseThrow(() -> notFound(jobId));
  }

  /** {@code GET /model-invocation-jobs}: filtered, sorted by submit time, paged with nextToken. */
  JsonNode list(ApiRequest request) {
    JobQuery query = query(request.query(), request.caller().account());
    JobPage page;
    try {
      page = store.list(query);
    } catch (InvalidNextTokenException e) {
      throw ApiException.validation("Invalid nextToken: " + e.getMessage());
    }
    ObjectNode body = JSON.createObjectNode();
    ArrayNode summaries = body.putArray("invocationJobSummaries");
    page.jobs().forEach(job -> summaries.add(JobView.of(job)));
    if (page.nextToken() != null) {
      body.put("nextToken", page.nextToken());
    }
    return body;
  }

  static JobQuery query(Map<String, String> q, String accountId) {
    ValidationErrors errors = new ValidationErrors();
    FieldRules rules = new FieldRules(errors);
    JobQuery.Builder b =
        JobQuery.builder()
            .accountId(accountId)
            .sortOrder(SortOrder.DESCENDING)
            .maxResults(DEFAULT_MAX_RESULTS);
    if (q.containsKey("submitTimeAfter")) {
      b.submitTimeAfter(Timestamps.parse("submitTimeAfter", q.get("submitTimeAfter")));
    }
    if (q.containsKey("submitTimeBefore")) {
      b.submitTimeBefore(Timestamps.parse("submitTimeBefore", q.get("submitTimeBefore")));
    }
    if (q.containsKey("statusEquals")) {
      try {
        b.statusEquals(JobStatus.fromWireName(q.get("statusEquals")));
      } catch (IllegalArgumentException e) {
        errors.add(
            "statusEquals",
            q.get("statusEquals"),
            "Member must satisfy enum value set: [Submitted, "
                + "InProgress, Completed, Failed, Stopping, Stopped, PartiallyCompleted, Expired, Validating, Scheduled]");
      }
    }
    if (q.containsKey("nameContains")) {
      b.nameContains(
          rules.check(q.get("nameContains"), "nameContains", 1, 63, FieldRules.JOB_NAME));
    }
    if (q.containsKey("sortBy") && !"CreationTime".equals(q.get("sortBy"))) {
      errors.add("sortBy", q.get("sortBy"), "Member must satisfy enum value set: [CreationTime]");
    }
    if (q.containsKey("sortOrder")) {
      try {
        b.sortOrder(SortOrder.fromWireName(q.get("sortOrder")));
      } catch (IllegalArgumentException e) {
        errors.add(
            "sortOrder",
            q.get("sortOrder"),
            "Member must satisfy enum value set: [Ascending, Descending]");
      }
    }
    if (q.containsKey("maxResults")) {
      String raw = q.get("maxResults");
      try {
        int max = Integer.parseInt(raw);
        if (max < 1 || max > JobQuery.MAX_RESULTS_LIMIT) {
          errors.add(
              "maxResults",
              raw,
              "Member must have value between 1 and " + JobQuery.MAX_RESULTS_LIMIT);
        } else {
          b.maxResults(max);
        }
      } catch (NumberFormatException e) {
        errors.add("maxResults", raw, "Member must be an integer");
      }
    }
    if (q.containsKey("nextToken")) {
      b.nextToken(rules.check(q.get("nextToken"), "nextToken", 1, 2048, FieldRules.NEXT_TOKEN));
    }
    errors.throwIfAny();
    return b.build();
  }

  static ApiException notFound(String jobId) {
    return ApiException.notFound("Model invocation job " + jobId + " does not exist");
  }
}
