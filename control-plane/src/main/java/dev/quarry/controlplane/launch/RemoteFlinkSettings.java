package dev.quarry.controlplane.launch;

import dev.quarry.controlplane.cluster.S3CheckMode;
import dev.quarry.job.io.S3Settings;
import java.net.URI;
import java.nio.file.Path;

/**
 * Where the remote session cluster is, what to submit to it, and the S3 it must read.
 *
 * @param restUrl the JobManager's REST address, e.g. {@code http://127.0.0.1:8081}
 * @param jobJar the shaded job jar ({@code job/target/quarry-job-*-flink.jar}), sent with each job
 * @param s3 the S3 this control plane validates with, which the cluster's own configuration must
 *     match
 * @param s3Source where {@code s3} comes from, for messages ({@code null}: the {@code quarry.s3.*}
 *     keys)
 * @param s3Check what a cluster that reads another S3 leads to
 */
public record RemoteFlinkSettings(
    URI restUrl, Path jobJar, S3Settings s3, String s3Source, S3CheckMode s3Check) {}
