using Gym.Core;
using Gym.Core.Registry;

namespace Gym.Agents;

/// <summary>Creates agents from the names used on the command line ("oracle", "random", "policy:DIR", "openai:MODEL").</summary>
public static class AgentFactory
{
    /// <summary>The agent names this build knows ("policy:DIR" loads a checkpoint directory).</summary>
    public static IReadOnlyList<string> Known => ["oracle", "random", "policy:CHECKPOINT", "openai:MODEL"];

    /// <summary>
    /// Creates the agent named <paramref name="spec"/>, or throws an error that lists the known names.
    /// "openai:MODEL" takes its server, cache and limits from <paramref name="openAi"/> (its model is replaced).
    /// </summary>
    public static IAgent Create(string spec, EnvRegistry registry, OpenAi.OpenAiAgentOptions? openAi = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(spec);
        return spec switch
        {
            "oracle" => new OracleAgent(registry),
            "random" => new RandomAgent(),
            _ when spec.StartsWith("policy:", StringComparison.Ordinal) => Policy.PolicyAgent.FromCheckpoint(CheckpointDirectory(spec[7..])),
            _ when spec.StartsWith("openai:", StringComparison.Ordinal) =>
                new OpenAi.OpenAiAgent(openAi is null ? new OpenAi.OpenAiAgentOptions { Model = spec[7..] } : openAi with { Model = spec[7..] }),
            _ => throw new ArgumentException($"Unknown agent '{spec}'. Known agents: {string.Join(", ", Known)}."),
        };
    }

    private static string CheckpointDirectory(string path) =>
        File.Exists(Path.Combine(path, "config.json")) && File.Exists(Path.Combine(path, "model.safetensors"))
            ? path
            : throw new ArgumentException($"'{path}' is not a checkpoint directory (it needs config.json and model.safetensors).");
}
