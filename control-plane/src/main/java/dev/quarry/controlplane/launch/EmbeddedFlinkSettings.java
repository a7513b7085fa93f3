package dev.quarry.controlplane.launch;

import java.nio.file.Path;

/**
 * How the embedded MiniCluster is sized and where it keeps checkpoints.
 *
 * @param taskManagers TaskManagers in the MiniCluster
 * @param slotsPerTaskManager slots per TaskManager; a job needs as many slots as its parallelism
 * @param checkpointsDir where checkpoints are retained (survives a control-plane restart)
 */
public record EmbeddedFlinkSettings(
    int taskManagers, int slotsPerTaskManager, Path checkpointsDir) {}
