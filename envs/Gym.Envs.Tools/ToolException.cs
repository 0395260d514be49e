using Gym.Core;

namespace Gym.Envs.Tools;

/// <summary>A tool refused its input; the message is shown to the agent.</summary>
public sealed class ToolException(string message) : GymException(GymErrorKind.BadInput, message);
