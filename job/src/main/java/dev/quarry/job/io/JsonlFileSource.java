package dev.quarry.job.io;

import dev.quarry.job.record.SourceLine;
import java.io.IOException;
import java.util.Collection;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.PendingSplitsCheckpoint;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.util.FlinkRuntimeException;

/**
 * The job's input: every {@code .jsonl} file under the input URI as raw lines ({@link JsonlLineFormat}).
 *
 * <p>Flink's {@link FileSource} reads, checkpoints and restores the files; only the handing out of files
 * is Quarry's ({@link BacklogSplitEnumerator}), so that thousands of small files do not cost a JobManager
 * round trip each. The state is FileSource's, so checkpoints of either restore into the other.
 */
public final class JsonlFileSource
    implements Source<SourceLine, FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>>,
        ResultTypeQueryable<SourceLine> {
  private static final long serialVersionUID = 1L;

  private final Path input;
  private final FileSource<SourceLine> files;

  public JsonlFileSource(String inputUri, long maxLineBytes) {
    this.input = new Path(inputUri);
    this.files = FileSource.forBulkFileFormat(new JsonlLineFormat(maxLineBytes), input)
        .setFileEnumerator(JsonlFileEnumerator::new)
        .build();
  }

  @Override
  public Boundedness getBoundedness() {
    return Boundedness.BOUNDED;
  }

  @Override
  public SourceReader<SourceLine, FileSourceSplit> createReader(SourceReaderContext context) {
    return files.createReader(context);
  }

  @Override
  public SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> createEnumerator(
      SplitEnumeratorContext<FileSourceSplit> context) {
    Collection<FileSourceSplit> splits;
    try {
      splits = new JsonlFileEnumerator().enumerateSplits(new Path[] {input}, context.currentParallelism());
    } catch (IOException e) {
      throw new FlinkRuntimeException("Could not list the input files under " + input, e);
    }
    return new BacklogSplitEnumerator(context, splits);
  }

  @Override
  public SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> restoreEnumerator(
      SplitEnumeratorContext<FileSourceSplit> context, PendingSplitsCheckpoint<FileSourceSplit> checkpoint) {
    return new BacklogSplitEnumerator(context, checkpoint.getSplits());
  }

  @Override
  public SimpleVersionedSerializer<FileSourceSplit> getSplitSerializer() {
    return files.getSplitSerializer();
  }

  @Override
  public SimpleVersionedSerializer<PendingSplitsCheckpoint<FileSourceSplit>> getEnumeratorCheckpointSerializer() {
    return files.getEnumeratorCheckpointSerializer();
  }

  @Override
  public TypeInformation<SourceLine> getProducedType() {
    return files.getProducedType();
  }
}
