using Gym.Core;

namespace Gym.Envs.Gui.X11;

/// <summary>An X protocol error the server answered a request with, or a connection lost.</summary>
public sealed class X11Exception(string message, int errorCode = 0) : GymException(GymErrorKind.Failed, message)
{
    /// <summary>The X error code (3 is BadWindow); 0 when the connection itself failed.</summary>
    public int ErrorCode { get; } = errorCode;
}
