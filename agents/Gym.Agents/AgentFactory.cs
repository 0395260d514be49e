using Gym.Core;
using Gym.Core.Registry;

namespace Gym.Agents;

/// <summary>Creates agents from the names used on the command line ("oracle", "random").</summary>
public static class AgentFactory
{
    /// <summary>The agent names this build knows.</summary>
    public static IReadOnlyList<string> Known => ["oracle", "random"];

    /// <summary>Creates the agent named <paramref name="spec"/>, or throws an error that lists the known names.</summary>
    public static IAgent Create(string spec, EnvRegistry registry)
    {
        ArgumentException.ThrowIfNullOrEmpty(spec);
        return spec switch
        {
            "oracle" => new OracleAgent(registry),
            "random" => new RandomAgent(),
            _ => throw new ArgumentException($"Unknown agent '{spec}'. Known agents: {string.Join(", ", Known)}."),
        };
    }
}
