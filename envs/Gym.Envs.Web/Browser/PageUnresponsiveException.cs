using Gym.Core;

namespace Gym.Envs.Web.Browser;

/// <summary>The page stopped answering (an endless script, endless dialogs); the episode cannot go on in it.</summary>
public sealed class PageUnresponsiveException(string message) : GymException(GymErrorKind.Failed, message);
