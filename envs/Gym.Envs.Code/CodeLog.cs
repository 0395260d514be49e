using Microsoft.Extensions.Logging;

namespace Gym.Envs.Code;

/// <summary>The code family's log messages (event ids 1300-1399): what its sandboxes recover from.</summary>
internal static partial class CodeLog
{
    [LoggerMessage(EventId = 1300, Level = LogLevel.Debug, Message = "Container {Container} could not run kill; it is being replaced anyway")]
    public static partial void KillFailed(this ILogger logger, string container, Exception exception);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Debug, Message = "Warming a sandbox container failed; the next acquire creates one on demand and reports its error")]
    public static partial void WarmingFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Debug, Message = "Container {Container} was already gone when it was removed")]
    public static partial void AlreadyGone(this ILogger logger, string container);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "Removing container {Container} failed; the next start-up sweep removes it")]
    public static partial void RemoveFailed(this ILogger logger, string container, Exception exception);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Information, Message = "No Docker daemon answers: code runs in the weaker process sandbox (GYM_SANDBOX=docker makes this an error)")]
    public static partial void ProcessFallback(this ILogger logger, Exception exception);
}
