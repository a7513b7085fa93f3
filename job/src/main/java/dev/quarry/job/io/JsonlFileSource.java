package dev.quarry.job.io;

import dev.quarry.job.listing.StoredInputListing;
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
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.FileSourceSplitSerializer;
import org.apache.flink.connector.file.src.PendingSplitsCheckpoint;
import org.apache.flink.connector.file.src.PendingSplitsCheckpointSerializer;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.util.FlinkRuntimeException;

/**
 * The job's input: every {@code .jsonl} file under the input URI (as validation counted them, when
 * the status store holds that listing: {@link JsonlFileEnumerator}) as raw lines ({@link
 * JsonlLineFormat}), one split per file, several files read at once per subtask ({@link
 * ConcurrentFileReader}) and handed out a few ahead ({@link BacklogSplitEnumerator}).
 *
 * <p>Splits and checkpoints are those of Flink's {@code FileSource} (same serializers), so a job
 * checkpointed with either resumes with the other.
 */
public final class JsonlFileSource
    implements Source<SourceLine, FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>>,
        ResultTypeQueryable<SourceLine> {
  private static final long serialVersionUID = 1L;

  private final String inputUri;
  private final JsonlLineFormat format;
  private final StoredInputListing validated;

  /**
   * @param validated where validation's listing of the input is, or {@code null} to list the input
   */
  public JsonlFileSource(String inputUri, long maxLineBytes, StoredInputListing validated) {
    this.inputUri = inputUri;
    this.format = new JsonlLineFormat(maxLineBytes);
    this.validated = validated;
  }

  @Override
  public Boundedness getBoundedness() {
    return Boundedness.BOUNDED;
  }

  @Override
  public SourceReader<SourceLine, FileSourceSplit> createReader(SourceReaderContext context) {
    return new ConcurrentFileReader(context, format);
  }

  @Override
  public SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>>
      createEnumerator(SplitEnumeratorContext<FileSourceSplit> context) {
    Collection<FileSourceSplit> splits;
    try {
      splits =
          new JsonlFileEnumerator(validated)
              .enumerateSplits(new Path[] {new Path(inputUri)}, context.currentParallelism());
    } catch (IOException e) {
      throw new FlinkRuntimeException(
          "Could not find the input files under " + inputUri + ": " + e.getMessage(), e);
    }
    return new BacklogSplitEnumerator(context, splits);
  }

  @Override
  public SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>>
      restoreEnumerator(
          SplitEnumeratorContext<FileSourceSplit> context,
          PendingSplitsCheckpoint<FileSourceSplit> checkpoint) {
    return new BacklogSplitEnumerator(context, checkpoint.getSplits());
  }

  @Override
  public SimpleVersionedSerializer<FileSourceSplit> getSplitSerializer() {
    return FileSourceSplitSerializer.INSTANCE;
  }

  @Override
  public SimpleVersionedSerializer<PendingSplitsCheckpoint<FileSourceSplit>>
      getEnumeratorCheckpointSerializer() {
    return new PendingSplitsCheckpointSerializer<>(FileSourceSplitSerializer.INSTANCE);
  }

  @Override
  public TypeInformation<SourceLine> getProducedType() {
    return format.getProducedType();
  }
}
