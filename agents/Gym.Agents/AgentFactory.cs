using Gym.Core;
using Gym.Core.Registry;
using Gym.Models;

namespace Gym.Agents;

/// <summary>Creates agents from the names used on the command line ("oracle", "random", "policy:DIR", "openai:MODEL").</summary>
public static class AgentFactory
{
    /// <summary>The agent names this build knows ("policy:DIR" loads a checkpoint directory).</summary>
    public static IReadOnlyList<string> Known => ["oracle", "random", "policy:CHECKPOINT", "openai:MODEL"];

    /// <summary>
    /// Creates the agent named <paramref name="spec"/>, or throws an error that lists the known names.
    /// "openai:MODEL" takes its server, cache and limits from <paramref name="openAi"/> (its model is replaced);
    /// "policy:DIR" runs on <paramref name="device"/> ("cpu", "cuda" or "cuda:N"; default cpu).
    /// </summary>
    public static IAgent Create(string spec, EnvRegistry registry, OpenAi.OpenAiAgentOptions? openAi = null, string device = "cpu")
    {
        ArgumentException.ThrowIfNullOrEmpty(spec);
        return spec switch
        {
            "oracle" => new OracleAgent(registry),
            "random" => new RandomAgent(),
            _ when spec.StartsWith("policy:", StringComparison.Ordinal) => Policy.PolicyAgent.FromCheckpoint(CheckpointDirectory(spec[7..]), device: TorchDevices.Parse(device)),
            _ when spec.StartsWith("openai:", StringComparison.Ordinal) =>
                new OpenAi.OpenAiAgent(openAi is null ? new OpenAi.OpenAiAgentOptions { Model = spec[7..] } : openAi with { Model = spec[7..] }),
            _ => throw new ArgumentException($"Unknown agent '{spec}'. Known agents: {string.Join(", ", Known)}."),
        };
    }

    private static string CheckpointDirectory(string path) =>
        CheckpointWeights.Exists(path)
            ? path
            : throw new ArgumentException($"'{path}' is not a checkpoint directory (it needs config.json and model.safetensors, or another Hugging Face weights layout).");
}
