using Gym.Core;
using Gym.Core.Registry;

namespace Gym.Agents;

/// <summary>Creates agents from the names used on the command line ("oracle", "random").</summary>
public static class AgentFactory
{
    /// <summary>The agent names this build knows ("policy:DIR" loads a checkpoint directory).</summary>
    public static IReadOnlyList<string> Known => ["oracle", "random", "policy:CHECKPOINT"];

    /// <summary>Creates the agent named <paramref name="spec"/>, or throws an error that lists the known names.</summary>
    public static IAgent Create(string spec, EnvRegistry registry)
    {
        ArgumentException.ThrowIfNullOrEmpty(spec);
        return spec switch
        {
            "oracle" => new OracleAgent(registry),
            "random" => new RandomAgent(),
            _ when spec.StartsWith("policy:", StringComparison.Ordinal) => Policy.PolicyAgent.FromCheckpoint(CheckpointDirectory(spec[7..])),
            _ => throw new ArgumentException($"Unknown agent '{spec}'. Known agents: {string.Join(", ", Known)}."),
        };
    }

    private static string CheckpointDirectory(string path) =>
        File.Exists(Path.Combine(path, "config.json")) && File.Exists(Path.Combine(path, "model.safetensors"))
            ? path
            : throw new ArgumentException($"'{path}' is not a checkpoint directory (it needs config.json and model.safetensors).");
}
