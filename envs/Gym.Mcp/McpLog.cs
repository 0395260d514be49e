using Microsoft.Extensions.Logging;

namespace Gym.Mcp;

/// <summary>The MCP server's log messages (event ids 1400-1499).</summary>
internal static partial class McpLog
{
    [LoggerMessage(EventId = 1400, Level = LogLevel.Debug, Message = "The event stream of session {Session} ended: its client went away")]
    public static partial void StreamClosed(this ILogger logger, string session, Exception exception);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Debug, Message = "Session {Session} ended; its message loop stopped")]
    public static partial void SessionLoopStopped(this ILogger logger, string session, Exception exception);
}
