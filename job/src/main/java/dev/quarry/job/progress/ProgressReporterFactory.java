package dev.quarry.job.progress;

import java.io.Serializable;

/**
 * Creates a job's {@link ProgressReporter} inside each task that reports; shipped with the job
 * graph.
 */
@FunctionalInterface
public interface ProgressReporterFactory extends Serializable {

  ProgressReporter create(String jobId);
}
