using Microsoft.Extensions.Logging;

namespace Gym.Envs.Web;

/// <summary>The web family's log messages (event ids 1100-1199): what it recovers from without failing the step.</summary>
internal static partial class WebLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Debug, Message = "An action on {Url} started a navigation; the observation waits for the new page")]
    public static partial void NavigationDuringAction(this ILogger logger, string url, Exception exception);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, Message = "Waiting for the new document of {Url} to load did not finish; it is read as it is")]
    public static partial void LoadWaitFailed(this ILogger logger, string url, Exception exception);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Debug, Message = "Settling {Url} ended early: {Why}")]
    public static partial void SettleEnded(this ILogger logger, string url, string why, Exception exception);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Debug, Message = "A dialog could not be dismissed (its page went away)")]
    public static partial void DialogGone(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Debug, Message = "Closing a browser context failed (its browser went first)")]
    public static partial void ContextCloseFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Debug, Message = "Closing browser {Tag} failed (crashed, killed or hung); its processes are ended instead")]
    public static partial void BrowserCloseFailed(this ILogger logger, string tag, Exception exception);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Debug, Message = "The context opened ahead could not be used (its browser went away); a fresh one is opened")]
    public static partial void SpareContextLost(this ILogger logger, Exception exception);
}
