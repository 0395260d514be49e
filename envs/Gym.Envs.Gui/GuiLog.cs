using Microsoft.Extensions.Logging;

namespace Gym.Envs.Gui;

/// <summary>The GUI family's log messages (event ids 1200-1299): what it recovers from without failing the step.</summary>
internal static partial class GuiLog
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Debug, Message = "Window {Window} closed while it was being read; it is left out of the list")]
    public static partial void WindowClosedWhileRead(this ILogger logger, uint window, Exception exception);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, Message = "The accessibility bus stopped answering; the connection is closed and reopened on the next read")]
    public static partial void AccessibilityBusLost(this ILogger logger, Exception exception);
}
