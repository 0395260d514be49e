using Microsoft.Extensions.Logging;

namespace Gym.Serving;

/// <summary>The server's log messages (event ids 1500-1599).</summary>
internal static partial class ServingLog
{
    [LoggerMessage(EventId = 1500, Level = LogLevel.Error, Message = "{Path} failed; the client got a 500 internal_error")]
    public static partial void RequestFailed(this ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Debug, Message = "The client of {Path} went away; its sequences were stopped")]
    public static partial void ClientWentAway(this ILogger logger, string path, Exception exception);
}
