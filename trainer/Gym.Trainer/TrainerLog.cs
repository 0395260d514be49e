using Microsoft.Extensions.Logging;

namespace Gym.Trainer;

/// <summary>The trainer's log messages (event ids 1600-1699).</summary>
internal static partial class TrainerLog
{
    [LoggerMessage(EventId = 1600, Level = LogLevel.Information, Message = "Iteration {Iteration}: {Episodes} episodes, train success {TrainSuccess:P1}, {Seconds:0.0} s elapsed")]
    public static partial void IterationDone(this ILogger logger, int iteration, int episodes, double trainSuccess, double seconds);

    [LoggerMessage(EventId = 1601, Level = LogLevel.Information, Message = "Iteration {Iteration} is the best so far on {Split}: {Success:P1}")]
    public static partial void NewBest(this ILogger logger, int iteration, string split, double success);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Debug, Message = "Checkpoint saved: {Directory}")]
    public static partial void CheckpointSaved(this ILogger logger, string directory);

    [LoggerMessage(EventId = 1603, Level = LogLevel.Warning, Message = "Iteration {Iteration}: {Groups} groups dropped (episodes that kept aborting)")]
    public static partial void GroupsDropped(this ILogger logger, int iteration, long groups);
}
