package dev.quarry.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.emulator.config.EmulatorConfig;
import dev.quarry.emulator.config.ModelBehavior;
import dev.quarry.emulator.config.RateLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;

class ThrottlingTest extends EmulatorFixture {

  private void limit(RateLimits limits) {
    emulator.configure(
        EmulatorConfig.builder()
            .model(CLAUDE, ModelBehavior.builder().limits(limits).build())
            .build());
  }

  @Test
  void requestsPerMinuteAdmitsTheBurstThenThrottlesThenAdmitsAfterRefill() throws Exception {
    // 600 per minute = 10 per second, burst 10 (one second's worth).
    limit(RateLimits.builder().requestsPerMinute(600).build());

    long start = System.nanoTime();
    List<CompletableFuture<InvokeModelResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      calls.add(asyncClient.invokeModel(request(CLAUDE, claudeBody("burst " + i))));
    }
    int ok = 0;
    int throttled = 0;
    for (CompletableFuture<InvokeModelResponse> call : calls) {
      try {
        call.join();
        ok++;
      } catch (CompletionException e) {
        assertThat(e.getCause())
            .isInstanceOfSatisfying(
                ThrottlingException.class,
                t -> {
                  assertThat(t.statusCode()).isEqualTo(429);
                  assertThat(t.awsErrorDetails().errorMessage())
                      .isEqualTo("Too many requests, please wait before trying again.");
                  assertThat(t.isThrottlingException()).isTrue();
                });
        throttled++;
      }
    }
    double elapsedSeconds = (System.nanoTime() - start) / 1e9;
    // 10 from the full bucket, plus whatever refilled (10 per second) while the 40 requests were in
    // flight.
    assertThat(ok).isBetween(10, 10 + (int) Math.ceil(elapsedSeconds * 10) + 1);
    assertThat(throttled).isGreaterThanOrEqualTo(20);
    assertThat(throttled).isEqualTo(40 - ok);
    assertThat(emulator.stats().model(CLAUDE).throttled()).isEqualTo(throttled);
    assertThat(emulator.stats().model(CLAUDE).succeeded()).isEqualTo(ok);

    Thread.sleep(1100);
    for (int i = 0; i < 8; i++) {
      invoke(CLAUDE, claudeBody("after refill " + i));
    }
  }

  @Test
  void tokensPerMinuteChargesInputPlusMaxTokens() throws Exception {
    // A 2000-character prompt is 500 input tokens; max_tokens 1 reserves one more: 501 per request.
    // 6000 per minute refills 100 tokens per second; a burst of 1400 admits two such requests.
    limit(RateLimits.builder().tokensPerMinute(6000).tokenBurst(1400).build());
    String prompt = "x".repeat(2000);

    invoke(CLAUDE, claudeBody(prompt, 1));
    invoke(CLAUDE, claudeBody(prompt, 1));
    assertThatThrownBy(() -> invoke(CLAUDE, claudeBody(prompt, 1)))
        .isInstanceOfSatisfying(
            ThrottlingException.class, e -> assertThat(e.statusCode()).isEqualTo(429));

    // 398 left; 103 more tokens take a little over a second.
    Thread.sleep(1200);
    invoke(CLAUDE, claudeBody(prompt, 1));
  }

  @Test
  void reservesTheRequestedMaxTokensUpFrontAndSettlesAfterwards() {
    // Burst 1000: a request with max_tokens 990 (plus a few input tokens) takes nearly all of it at
    // admission.
    limit(RateLimits.builder().tokensPerMinute(60).tokenBurst(1000).build());

    InvokeModelResponse first = invoke(CLAUDE, claudeBody("big budget", 990));
    // The unused part of the reservation came back, so a second large request fits again.
    int used =
        Integer.parseInt(header(first, "X-Amzn-Bedrock-Input-Token-Count"))
            + Integer.parseInt(header(first, "X-Amzn-Bedrock-Output-Token-Count"));
    assertThat(used).isLessThan(300);
    invoke(CLAUDE, claudeBody("second budget", 600));
  }

  @Test
  void aRequestLargerThanTheBucketIsAdmittedWhenTheBucketIsFull() throws Exception {
    // Capacity 100 tokens, refilled 500 per second; the request costs 501.
    limit(RateLimits.builder().tokensPerMinute(30_000).tokenBurst(100).build());
    String prompt = "y".repeat(2000);

    invoke(CLAUDE, claudeBody(prompt, 1));
    assertThatThrownBy(() -> invoke(CLAUDE, claudeBody(prompt, 1)))
        .isInstanceOf(ThrottlingException.class);

    // The bucket went 401 tokens into debt; it is full again after about a second.
    Thread.sleep(1100);
    invoke(CLAUDE, claudeBody(prompt, 1));
  }

  @Test
  void limitsApplyPerMeteredModelAndConfigureRefillsTheBuckets() {
    limit(RateLimits.builder().requestsPerMinute(60).build());

    invoke(CLAUDE, claudeBody("one"));
    assertThatThrownBy(() -> invoke(CLAUDE, claudeBody("two")))
        .isInstanceOf(ThrottlingException.class);
    // The foundation-model ARN is metered together with the bare id…
    assertThatThrownBy(
            () ->
                invoke(
                    "arn:aws:bedrock:us-east-1::foundation-model/" + CLAUDE, claudeBody("three")))
        .isInstanceOf(ThrottlingException.class);
    // …another model is not limited at all.
    invoke(NOVA, "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"free\"}]}]}");

    emulator.configure(emulator.config());
    invoke(CLAUDE, claudeBody("four"));
  }
}
