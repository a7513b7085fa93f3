package dev.quarry.controlplane.console;

import dev.quarry.controlplane.store.JobRecord;
import dev.quarry.controlplane.store.JobStatus;
import dev.quarry.controlplane.store.JobStore;
import dev.quarry.controlplane.testing.ControlPlaneFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Not a test: how long the console's jobs page takes to show its first rows with 1,000 jobs in the
 * store, in headless chromium (navigation start to the table filled), cold and warm. Run with
 * {@code java -cp <test classpath> dev.quarry.controlplane.console.ConsoleFirstLoadBenchmark}.
 */
public final class ConsoleFirstLoadBenchmark {
  private static final int JOBS = 1_000;
  private static final int RUNS = 10;

  private ConsoleFirstLoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("console-bench");
    try (ControlPlaneFixture quarry = new ControlPlaneFixture(dir, Map.of())) {
      JobStore store = quarry.plane().store();
      Instant start = Instant.parse("2026-11-01T00:00:00Z");
      for (int i = 0; i < JOBS; i++) {
        String id = String.format("bench%07d", i);
        Instant submitted = start.plusSeconds(60L * i);
        store.createIfAbsent(
            JobRecord.builder()
                .jobId(id)
                .jobArn("arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/" + id)
                .jobName("bench-job-" + i)
                .modelId(ControlPlaneFixture.MODEL)
                .roleArn(ControlPlaneFixture.ROLE)
                .status(JobStatus.COMPLETED)
                .submitTime(submitted)
                .lastModifiedTime(submitted.plusSeconds(50))
                .endTime(submitted.plusSeconds(50))
                .totalRecordCount(1000L)
                .timeoutDurationInHours(24)
                .jobExpirationTime(submitted.plusSeconds(86_400))
                .inputConfigJson("{\"s3InputDataConfig\":{\"s3Uri\":\"s3://in/" + i + "/\"}}")
                .outputConfigJson("{\"s3OutputDataConfig\":{\"s3Uri\":\"s3://out/" + i + "/\"}}")
                .build());
      }
      ChromeDriver browser = Browser.start();
      try {
        String console = quarry.plane().endpoint().resolve("/console/").toString();
        browser.get(console + "signin.html");
        browser.findElement(By.id("accessKey")).sendKeys(quarry.key().accessKey());
        browser.findElement(By.id("secretKey")).sendKeys(quarry.key().secretKey());
        browser.findElement(By.id("signin-submit")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30))
            .until(d -> d.findElements(By.cssSelector("#jobs tbody tr")).size() == 100);
        List<Double> millis = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
          browser.get("about:blank");
          long t0 = System.nanoTime();
          browser.get(console);
          new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(5))
              .until(d -> rows(browser) == 100);
          millis.add((System.nanoTime() - t0) / 1e6);
        }
        System.out.println("last load: " + navigation(browser));
        System.out.printf(
            "first page (100 newest of %d jobs), %d loads: first %.0f ms, median %.0f ms, max %.0f ms%n",
            JOBS, RUNS, millis.get(0), median(millis), Collections.max(millis));
        long t0 = System.nanoTime();
        browser.findElement(By.id("more")).click();
        for (int i = 0; i < 9; i++) {
          int want = 200 + 100 * i;
          new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(5))
              .until(d -> rows(browser) == want);
          if (want < JOBS) {
            browser.findElement(By.id("more")).click();
          }
        }
        System.out.printf(
            "all %d rows after 9 'Show more': %.0f ms in total%n",
            JOBS, (System.nanoTime() - t0) / 1e6);
      } finally {
        browser.quit();
      }
    }
  }

  /** Counted in the page: a WebDriver reference per row would cost more than the page itself. */
  private static long rows(ChromeDriver browser) {
    return (Long)
        browser.executeScript("return document.querySelectorAll('#jobs tbody tr').length");
  }

  /**
   * Milliseconds from navigation start to the last response and to the load event, as the browser
   * saw them.
   */
  private static String navigation(ChromeDriver browser) {
    return String.valueOf(
        browser.executeScript(
            "const n = performance.getEntriesByType('navigation')[0];"
                + " const api = performance.getEntriesByType('resource').filter(r => r.name.includes('/api/jobs'));"
                + " return 'load event ' + Math.round(n.loadEventEnd) + ' ms, jobs call ' + (api.length ? Math.round(api[0].duration)"
                + " + ' ms (' + Math.round(api[0].responseEnd) + ' ms after start)' : '?');"));
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
