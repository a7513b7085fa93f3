package dev.quarry.controlplane.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.controlplane.testing.ControlPlaneFixture;
import dev.quarry.job.testing.Corpus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.services.bedrock.model.CreateModelInvocationJobRequest;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobInputDataConfig;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobOutputDataConfig;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobStatus;
import software.amazon.awssdk.services.bedrock.model.ValidationException;

/**
 * The console in headless chromium against a real control plane (embedded Flink, S3Proxy, the
 * emulator): sign in, watch a running job's bar move, open it, stop it, download its output; and
 * what it refuses: a wrong secret, cross-origin calls, requests without a session.
 */
class ConsoleBrowserTest {
  /** 50 calls per second: 4,000 records take 80 s, long enough to watch and stop. */
  private static final Map<String, String> SLOW =
      Map.of("quarry.job.requests-per-minute", "3000", "quarry.console.sample-interval-ms", "500");

  @TempDir static Path dir;
  private static ControlPlaneFixture quarry;
  private static ChromeDriver browser;
  private static URI console;

  @BeforeAll
  static void start() throws Exception {
    quarry = new ControlPlaneFixture(dir, SLOW);
    console = quarry.plane().endpoint().resolve("/console/");
    browser = Browser.start();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (quarry != null) {
      quarry.close();
    }
  }

  private static String create(String name, String input, String output) {
    CreateModelInvocationJobRequest request =
        CreateModelInvocationJobRequest.builder()
            .jobName(name)
            .roleArn(ControlPlaneFixture.ROLE)
            .modelId(ControlPlaneFixture.MODEL)
            .inputDataConfig(
                ModelInvocationJobInputDataConfig.fromS3InputDataConfig(s -> s.s3Uri(input)))
            .outputDataConfig(
                ModelInvocationJobOutputDataConfig.fromS3OutputDataConfig(s -> s.s3Uri(output)))
            .build();
    return quarry.bedrock().createModelInvocationJob(request).jobArn();
  }

  private static String jobId(String arn) {
    return arn.substring(arn.lastIndexOf('/') + 1);
  }

  private static WebDriverWait waitUpTo(int seconds) {
    // the pages redraw every refresh, so an element found may be replaced before it is read
    return (WebDriverWait)
        new WebDriverWait(browser, Duration.ofSeconds(seconds))
            .ignoring(StaleElementReferenceException.class);
  }

  private static void signIn(String accessKey, String secret) {
    browser.get(console.resolve("signin.html").toString());
    browser.findElement(By.id("accessKey")).sendKeys(accessKey);
    browser.findElement(By.id("secretKey")).sendKeys(secret);
    browser.findElement(By.id("signin-submit")).click();
  }

  /** A figure of the job page's stats, by its label, read in one script. */
  private static String statValue(String label) {
    return inList(
        "const s = [...document.querySelectorAll('#stats .stat')].find(s =>"
            + " s.querySelector('.k').textContent === '"
            + label
            + "'); return s ? s.querySelector('.v').textContent : '';");
  }

  /** Read in one script, as the table may be redrawn between two WebDriver calls. */
  private static String inList(String script) {
    Object value = browser.executeScript(script);
    return value == null ? null : value.toString();
  }

  private static long processedInList(String jobId) {
    String processed =
        inList(
            "const b = document.querySelector(\"tr[data-job-id='"
                + jobId
                + "'] .bar\");"
                + " return b ? b.dataset.processed : null;");
    return processed == null ? -1 : Long.parseLong(processed);
  }

  @Test
  void signInWatchARunningJobOpenItAndStopIt() throws Exception {
    quarry.s3.createBucket("console-in");
    quarry.s3.createBucket("console-out");
    quarry.s3.put("console-in", "tags/a.jsonl", Corpus.file("tags", 60));
    quarry.s3.put("console-in", "summaries/a.jsonl", Corpus.file("sum", 4000));
    String done = create("product-tags", "s3://console-in/tags/", "s3://console-out/tags/");
    quarry.await(
        done, r -> r.status() == ModelInvocationJobStatus.COMPLETED, Duration.ofSeconds(90));
    create("missing-input", "s3://console-in/nothing-here/", "s3://console-out/missing/");
    String running =
        create("nightly-summaries", "s3://console-in/summaries/", "s3://console-out/summaries/");
    String id = jobId(running);

    // the console sends a browser without a session to sign in; a wrong secret is refused there
    browser.get(console.toString());
    waitUpTo(10).until(ExpectedConditions.urlContains("signin.html"));
    signIn(quarry.key().accessKey(), quarry.key().secretKey() + "x");
    WebElement refused =
        waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-error")));
    assertThat(refused.getText()).isEqualTo("The access key or secret key is wrong");
    assertThat(browser.manage().getCookieNamed(ConsoleHandler.COOKIE)).isNull();

    signIn(quarry.key().accessKey(), quarry.key().secretKey());
    waitUpTo(10)
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tr[data-job-id='" + id + "']")));
    assertThat(browser.findElement(By.id("who")).getText()).contains("account 123456789012");

    // the bar moves without reloading the page
    waitUpTo(60).until(d -> processedInList(id) > 0);
    long first = processedInList(id);
    waitUpTo(30).until(d -> processedInList(id) > first);
    assertThat(
            inList(
                "return [...document.querySelectorAll('#jobs tbody tr')].map(r => r.dataset.jobId).join(',')"))
        .as("newest first")
        .startsWith(id + ",")
        .matches("[a-z0-9]{12},[a-z0-9]{12},[a-z0-9]{12}");
    String doneRow = "document.querySelector(\"tr[data-job-id='" + jobId(done) + "']\")";
    assertThat(inList("return " + doneRow + ".dataset.status")).isEqualTo("Completed");
    assertThat(inList("return " + doneRow + ".querySelector('.cost').textContent"))
        .matches("\\$\\d+\\.\\d+");
    waitUpTo(30)
        .until(
            d ->
                !"—"
                    .equals(
                        inList(
                            "return document.querySelector(\"tr[data-job-id='"
                                + id
                                + "'] td.num\").textContent")));
    // filters: by status, then by name
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("status")))
        .selectByVisibleText("Completed");
    waitUpTo(10).until(d -> browser.findElements(By.cssSelector("#jobs tbody tr")).size() == 1);
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("status")))
        .selectByVisibleText("Any");
    browser.findElement(By.id("name")).sendKeys("nightly");
    waitUpTo(10)
        .until(
            d ->
                browser.findElements(By.cssSelector("#jobs tbody tr")).size() == 1
                    && browser.findElements(By.cssSelector("tr[data-job-id='" + id + "']")).size()
                        == 1);
    browser.findElement(By.id("name")).clear();
    browser.findElement(By.id("name")).sendKeys(" ");
    waitUpTo(10).until(d -> browser.findElements(By.cssSelector("#jobs tbody tr")).size() == 3);
    Browser.screenshot(browser, "console-jobs.png");

    // the job page: its Get view, the chart, and Stop
    waitUpTo(10)
        .until(
            d -> {
              d.findElement(By.linkText("nightly-summaries")).click();
              return true;
            });
    waitUpTo(10).until(ExpectedConditions.urlContains("job.html?id=" + id));
    WebElement stop = waitUpTo(10).until(ExpectedConditions.elementToBeClickable(By.id("stop")));
    waitUpTo(30).until(ExpectedConditions.presenceOfElementLocated(By.id("rate-chart")));
    // the job's model calls and the rate it allows itself, from what its subtasks report
    waitUpTo(30)
        .until(
            d ->
                statValue("Model calls").matches("[0-9,]+")
                    && statValue("Allowed rate (req/min)").matches("[0-9,]+"));
    assertThat(Long.parseLong(statValue("Model calls").replace(",", ""))).isPositive();
    assertThat(Long.parseLong(statValue("Allowed rate (req/min)").replace(",", "")))
        .isBetween(1L, 3000L);
    assertThat(browser.findElement(By.id("get-view")).getText())
        .contains("\"jobArn\": \"" + running + "\"")
        .contains("\"status\": \"InProgress\"");
    stop.click();
    waitUpTo(60)
        .until(
            d ->
                browser
                    .findElement(By.cssSelector("#job-status .status"))
                    .getText()
                    .equals("Stopped"));
    assertThat(quarry.bedrock().getModelInvocationJob(b -> b.jobIdentifier(running)).status())
        .isEqualTo(ModelInvocationJobStatus.STOPPED);
    waitUpTo(20)
        .until(
            d ->
                browser.findElements(By.cssSelector("tr[data-file='manifest.json.out']")).size()
                        == 1
                    && !browser.findElement(By.id("manifest")).getText().equals("—"));
    assertThat(browser.findElement(By.id("manifest")).getText())
        .contains("\"totalRecordCount\": 4000");
    assertThat(browser.findElement(By.id("stop")).isEnabled()).isFalse();
    Browser.screenshot(browser, "console-job.png");

    // the download link streams the very bytes S3 holds
    String href =
        waitUpTo(10)
            .until(
                d ->
                    d.findElement(By.cssSelector("tr[data-file='a.jsonl.out'] a"))
                        .getDomProperty("href"));
    HttpResponse<String> file =
        send(HttpRequest.newBuilder(URI.create(href)).header("Cookie", sessionCookie()).GET());
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(file.body())
        .isEqualTo(quarry.s3.getString("console-out", "summaries/" + id + "/a.jsonl.out"));
  }

  @Test
  void aJobsPageGroupsItsErrorLinesByCodeWithExamples() throws Exception {
    quarry.s3.createBucket("errors-in");
    quarry.s3.createBucket("errors-out");
    List<String> lines = new java.util.ArrayList<>(Corpus.lines("ok", 20));
    lines.add("{\"recordId\":\"no-input-1\"}");
    lines.add("{\"recordId\":\"no-input-2\",\"modelInput\":\"text, not an object\"}");
    lines.add("{\"recordId\":\"cut-off\",\"modelInput\":{\"messages\":[");
    quarry.s3.put("errors-in", "mixed/a.jsonl", Corpus.join(lines));
    String arn = create("mixed-lines", "s3://errors-in/mixed/", "s3://errors-out/mixed/");
    var ended =
        quarry.await(
            arn,
            ControlPlaneFixture.statusIn(
                ModelInvocationJobStatus.COMPLETED, ModelInvocationJobStatus.PARTIALLY_COMPLETED),
            Duration.ofSeconds(90));
    String id = jobId(arn);
    String output = quarry.s3.getString("errors-out", "mixed/" + id + "/a.jsonl.out");
    long errorLines = output.lines().filter(l -> l.contains("\"errorCode\"")).count();
    assertThat(errorLines).isEqualTo(3);

    signInIfNeeded();
    browser.get(console.resolve("job.html?id=" + id).toString());
    waitUpTo(30).until(ExpectedConditions.presenceOfElementLocated(By.id("error-codes")));
    // codes and their counts as the page shows them, read in one script
    String shown =
        inList(
            "return [...document.querySelectorAll('#error-codes tbody tr')]"
                + ".filter(r => r.cells[0].textContent)"
                + ".map(r => r.cells[0].textContent + ':' + r.cells[1].textContent).join(',')");
    long counted =
        java.util.Arrays.stream(shown.split(","))
            .mapToLong(pair -> Long.parseLong(pair.substring(pair.indexOf(':') + 1)))
            .sum();
    assertThat(counted).as(shown).isEqualTo(errorLines);
    assertThat(
            inList(
                "return [...document.querySelectorAll('#error-codes tbody tr')]"
                    + ".map(r => r.cells[2].textContent).join(',')"))
        .contains("no-input-1", "no-input-2");
    assertThat(browser.findElement(By.id("errors")).getText()).contains("From all");
    assertThat(ended.status()).isEqualTo(ModelInvocationJobStatus.COMPLETED);
  }

  @Test
  void theCreateFormShowsTheApisOwnValidationMessage() throws Exception {
    signInIfNeeded();
    browser.get(console.resolve("create.html").toString());
    waitUpTo(10).until(d -> !browser.findElement(By.id("who")).getText().isEmpty());
    browser.findElement(By.id("jobName")).sendKeys("has spaces!");
    browser.findElement(By.id("roleArn")).sendKeys(ControlPlaneFixture.ROLE);
    browser.findElement(By.id("inputUri")).sendKeys("s3://console-in/tags/");
    browser.findElement(By.id("outputUri")).sendKeys("s3://console-out/form/");
    browser.findElement(By.id("submit")).click();
    String shown =
        waitUpTo(10)
            .until(ExpectedConditions.visibilityOfElementLocated(By.id("create-error")))
            .getText();

    CreateModelInvocationJobRequest same =
        CreateModelInvocationJobRequest.builder()
            .jobName("has spaces!")
            .roleArn(ControlPlaneFixture.ROLE)
            .modelId(ControlPlaneFixture.MODEL)
            .modelInvocationType("InvokeModel")
            .inputDataConfig(
                ModelInvocationJobInputDataConfig.fromS3InputDataConfig(
                    s -> s.s3Uri("s3://console-in/tags/")))
            .outputDataConfig(
                ModelInvocationJobOutputDataConfig.fromS3OutputDataConfig(
                    s -> s.s3Uri("s3://console-out/form/")))
            .build();
    ValidationException api =
        (ValidationException)
            org.assertj.core.api.Assertions.catchThrowable(
                () -> quarry.bedrock().createModelInvocationJob(same));
    assertThat(api).isNotNull();
    assertThat(shown).isEqualTo("ValidationException: " + api.awsErrorDetails().errorMessage());
  }

  @Test
  void crossOriginAndUnsignedCallsAreRefusedAndTheApiStillWantsSignatures() throws Exception {
    signInIfNeeded();
    String cookie = sessionCookie();
    String body =
        "{\"jobName\":\"cross-site\",\"modelId\":\""
            + ControlPlaneFixture.MODEL
            + "\",\"roleArn\":\""
            + ControlPlaneFixture.ROLE
            + "\",\"inputDataConfig\":{\"s3InputDataConfig\":{\"s3Uri\":\"s3://console-in/tags/\"}},"
            + "\"outputDataConfig\":{\"s3OutputDataConfig\":{\"s3Uri\":\"s3://console-out/x/\"}}}";
    URI jobs = console.resolve("api/jobs");
    String self = "http://" + console.getRawAuthority();

    HttpResponse<String> crossOrigin =
        send(
            HttpRequest.newBuilder(jobs)
                .header("Cookie", cookie)
                .header("Origin", "http://evil.example")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    assertThat(crossOrigin.statusCode()).isEqualTo(403);
    assertThat(crossOrigin.body()).contains("cross-origin request refused");
    HttpResponse<String> noOrigin =
        send(
            HttpRequest.newBuilder(jobs)
                .header("Cookie", cookie)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    assertThat(noOrigin.statusCode()).isEqualTo(403);
    HttpResponse<String> crossSiteRead =
        send(
            HttpRequest.newBuilder(jobs)
                .header("Cookie", cookie)
                .header("Sec-Fetch-Site", "cross-site")
                .GET());
    assertThat(crossSiteRead.statusCode()).isEqualTo(403);
    assertThat(
            quarry
                .bedrock()
                .listModelInvocationJobs(b -> b.nameContains("cross-site"))
                .invocationJobSummaries())
        .isEmpty();

    HttpResponse<String> noSession =
        send(HttpRequest.newBuilder(jobs).header("Origin", self).GET());
    assertThat(noSession.statusCode()).isEqualTo(401);
    HttpResponse<String> forgedSession =
        send(
            HttpRequest.newBuilder(jobs)
                .header("Origin", self)
                .header("Cookie", ConsoleHandler.COOKIE + "=made-up")
                .GET());
    assertThat(forgedSession.statusCode()).isEqualTo(401);
    HttpResponse<String> sameOrigin =
        send(HttpRequest.newBuilder(jobs).header("Cookie", cookie).header("Origin", self).GET());
    assertThat(sameOrigin.statusCode()).isEqualTo(200);
    assertThat(sameOrigin.body()).contains("\"jobs\"");

    // the cookie: HttpOnly, SameSite=Strict, only for the console
    HttpResponse<String> signIn =
        send(
            HttpRequest.newBuilder(console.resolve("api/session"))
                .header("Origin", self)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"accessKey\":\""
                            + quarry.key().accessKey()
                            + "\",\"secretKey\":\""
                            + quarry.key().secretKey()
                            + "\"}")));
    assertThat(signIn.statusCode()).isEqualTo(200);
    String setCookie = signIn.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie)
        .startsWith(ConsoleHandler.COOKIE + "=")
        .contains("HttpOnly")
        .containsIgnoringCase("SameSite=Strict")
        .contains("Path=/console/");

    // the API behind it still answers only signed requests, session or not
    HttpResponse<String> unsigned =
        send(
            HttpRequest.newBuilder(quarry.plane().endpoint().resolve("/model-invocation-jobs"))
                .header("Cookie", cookie)
                .GET());
    assertThat(unsigned.statusCode()).isEqualTo(403);
    HttpResponse<String> traversal =
        send(
            HttpRequest.newBuilder(URI.create(console + "api/../../model-invocation-jobs"))
                .header("Cookie", cookie)
                .GET());
    assertThat(traversal.statusCode()).isNotEqualTo(200);
  }

  private static void signInIfNeeded() {
    if (browser.manage().getCookieNamed(ConsoleHandler.COOKIE) == null) {
      signIn(quarry.key().accessKey(), quarry.key().secretKey());
      waitUpTo(10).until(d -> d.manage().getCookieNamed(ConsoleHandler.COOKIE) != null);
    }
  }

  private static String sessionCookie() {
    Cookie c = browser.manage().getCookieNamed(ConsoleHandler.COOKIE);
    assertThat(c).as("signed in").isNotNull();
    assertThat(c.isHttpOnly()).isTrue();
    return c.getName() + "=" + c.getValue();
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
