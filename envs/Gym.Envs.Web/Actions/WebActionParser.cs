using Gym.Core;
using Gym.Core.Actions;

namespace Gym.Envs.Web.Actions;

/// <summary>Reads web actions (<see cref="CallActionSet.Parse"/> over <see cref="WebActionSet"/>).</summary>
public static class WebActionParser
{
    /// <summary>Parses <paramref name="action"/>; exactly one of the result's action and error is set.</summary>
    public static (CallAction? Action, string? Error) Parse(AgentAction action, bool lenient = false) => WebActionSet.Set.Parse(action, lenient);
}
