package dev.quarry.job.io;

import java.util.List;

/**
 * What one writer subtask checkpoints: the files it is still writing, and the counts of the files
 * it already handed to the committer (so its progress report survives a restore).
 */
record OutputWriterState(List<OpenOutputFile> openFiles, FileCounts finished) {}
