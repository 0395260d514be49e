using Gym.Core;

namespace Gym.Envs.Gui.Actions;

/// <summary>An action that could not be carried out (its message is feedback for the agent).</summary>
public sealed class GuiActionException(string message) : GymException(GymErrorKind.BadInput, message);
