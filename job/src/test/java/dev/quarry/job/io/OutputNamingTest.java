package dev.quarry.job.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;

class OutputNamingTest {
  private static final String JOB_OUT = "s3://out-bucket/results/abcdefghijkl/";

  @Test
  void singleObjectInputIsNamedAfterTheObject() {
    OutputNaming naming = new OutputNaming("s3://in-bucket/data/batch.jsonl", JOB_OUT);
    assertThat(naming.relativeName("s3://in-bucket/data/batch.jsonl")).isEqualTo("batch.jsonl");
    assertThat(naming.outputPath("s3://in-bucket/data/batch.jsonl"))
        .isEqualTo(new Path("s3://out-bucket/results/abcdefghijkl/batch.jsonl.out"));
  }

  @Test
  void prefixWithTrailingSlash() {
    OutputNaming naming = new OutputNaming("s3://in-bucket/data/", JOB_OUT);
    assertThat(naming.relativeName("s3://in-bucket/data/a.jsonl")).isEqualTo("a.jsonl");
    assertThat(naming.outputPath("s3://in-bucket/data/a.jsonl").toString())
        .isEqualTo("s3://out-bucket/results/abcdefghijkl/a.jsonl.out");
  }

  @Test
  void prefixWithoutTrailingSlash() {
    OutputNaming naming = new OutputNaming("s3://in-bucket/data", JOB_OUT);
    assertThat(naming.relativeName("s3://in-bucket/data/a.jsonl")).isEqualTo("a.jsonl");
    assertThat(naming.relativeName("s3://in-bucket/data/x/a.jsonl")).isEqualTo("x/a.jsonl");
    assertThat(naming.outputPath("s3://in-bucket/data/a.jsonl").toString())
        .isEqualTo("s3://out-bucket/results/abcdefghijkl/a.jsonl.out");
  }

  @Test
  void nestedFilesKeepTheirPathRelativeToThePrefix() {
    OutputNaming naming = new OutputNaming("s3://in-bucket/data/", JOB_OUT);
    assertThat(naming.relativeName("s3://in-bucket/data/x/y/a.jsonl")).isEqualTo("x/y/a.jsonl");
    assertThat(naming.outputPath("s3://in-bucket/data/x/y/a.jsonl").toString())
        .isEqualTo("s3://out-bucket/results/abcdefghijkl/x/y/a.jsonl.out");
    // Same name, different folders: different outputs.
    assertThat(naming.outputPath("s3://in-bucket/data/x/a.jsonl"))
        .isNotEqualTo(naming.outputPath("s3://in-bucket/data/y/a.jsonl"))
        .isNotEqualTo(naming.outputPath("s3://in-bucket/data/a.jsonl"));
  }

  @Test
  void namesWithSpacesAndDots() {
    OutputNaming naming = new OutputNaming("s3://in-bucket/data/", JOB_OUT);
    assertThat(naming.relativeName("s3://in-bucket/data/v1.2/my file.jsonl"))
        .isEqualTo("v1.2/my file.jsonl");
  }

  @Test
  void jobOutputFolderWithoutTrailingSlash() {
    OutputNaming naming =
        new OutputNaming("s3://in-bucket/data/", "s3://out-bucket/results/abcdefghijkl");
    assertThat(naming.outputPath("s3://in-bucket/data/a.jsonl").toString())
        .isEqualTo("s3://out-bucket/results/abcdefghijkl/a.jsonl.out");
    assertThat(naming.manifestPath().toString())
        .isEqualTo("s3://out-bucket/results/abcdefghijkl/manifest.json.out");
  }

  @Test
  void manifestAndJobFolder() {
    OutputNaming naming = new OutputNaming("s3://in-bucket/data/", JOB_OUT);
    assertThat(naming.manifestPath())
        .isEqualTo(new Path("s3://out-bucket/results/abcdefghijkl/manifest.json.out"));
    assertThat(naming.manifestPath().getName())
        .isEqualTo(OutputNaming.MANIFEST_NAME)
        .isEqualTo("manifest.json.out");
    assertThat(naming.jobOutputDir()).isEqualTo(new Path("s3://out-bucket/results/abcdefghijkl"));
    assertThat(naming.manifestPath().getParent()).isEqualTo(naming.jobOutputDir());
    assertThat(naming.outputPath("s3://in-bucket/data/a.jsonl").getParent())
        .isEqualTo(naming.jobOutputDir());
  }

  @Test
  void bucketWithoutSlashAsPrefix() {
    OutputNaming naming = new OutputNaming("s3://in-bucket", JOB_OUT);
    assertThat(naming.relativeName("s3://in-bucket/a.jsonl")).isEqualTo("a.jsonl");
    assertThat(naming.relativeName("s3://in-bucket/x/a.jsonl")).isEqualTo("x/a.jsonl");
  }

  @Test
  void bucketRootWithSlashAsPrefixKeepsNestedFolders() {
    OutputNaming naming = new OutputNaming("s3://in-bucket/", JOB_OUT);
    assertThat(naming.relativeName("s3://in-bucket/a.jsonl")).isEqualTo("a.jsonl");
    assertThat(naming.relativeName("s3://in-bucket/x/a.jsonl"))
        .isEqualTo("x/a.jsonl"); // today: "a.jsonl"
    assertThat(naming.outputPath("s3://in-bucket/x/a.jsonl"))
        .isNotEqualTo(naming.outputPath("s3://in-bucket/y/a.jsonl"));
  }

  @Test
  void localFilesInEitherUriForm() {
    OutputNaming naming =
        new OutputNaming("file:///tmp/quarry/in/", "file:///tmp/quarry/out/abcdefghijkl/");
    // The enumerator reports local files as file:/…; the input may be given as file:///….
    assertThat(naming.relativeName("file:/tmp/quarry/in/a.jsonl")).isEqualTo("a.jsonl");
    assertThat(naming.relativeName("file:/tmp/quarry/in/n/b.jsonl")).isEqualTo("n/b.jsonl");
    assertThat(naming.outputPath("file:/tmp/quarry/in/n/b.jsonl").toString())
        .isEqualTo("file:/tmp/quarry/out/abcdefghijkl/n/b.jsonl.out");
    assertThat(naming.manifestPath().toString())
        .isEqualTo("file:/tmp/quarry/out/abcdefghijkl/manifest.json.out");

    OutputNaming single =
        new OutputNaming("file:/tmp/quarry/in/a.jsonl", "file:/tmp/quarry/out/abcdefghijkl");
    assertThat(single.relativeName("file:/tmp/quarry/in/a.jsonl")).isEqualTo("a.jsonl");
    assertThat(single.outputPath("file:/tmp/quarry/in/a.jsonl").toString())
        .isEqualTo("file:/tmp/quarry/out/abcdefghijkl/a.jsonl.out");
  }

  @Test
  void fileOutsideThePrefixFallsBackToItsName() {
    OutputNaming naming = new OutputNaming("s3://in-bucket/data", JOB_OUT);
    // A sibling whose name merely starts with the prefix is not under it.
    assertThat(naming.relativeName("s3://in-bucket/database/a.jsonl")).isEqualTo("a.jsonl");
  }
}
