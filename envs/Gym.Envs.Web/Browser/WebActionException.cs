using Gym.Core;

namespace Gym.Envs.Web.Browser;

/// <summary>An action that could not be carried out on the page; the message is shown to the agent.</summary>
public sealed class WebActionException(string message) : GymException(GymErrorKind.BadInput, message);
