using Gym.Agents.Policy;
using Gym.Models;
using Gym.Models.Transformer;

namespace Gym.Trainer.Training;

/// <summary>The policy a config describes: its model (new or loaded) and how it acts.</summary>
public static class PolicySetup
{
    /// <summary>The model's architecture as <paramref name="config"/> sets it.</summary>
    public static ModelConfig ModelConfig(TrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new ModelConfig
        {
            HiddenSize = config.Model.HiddenSize,
            NumHiddenLayers = config.Model.Layers,
            NumAttentionHeads = config.Model.Heads,
            NumKeyValueHeads = config.Model.KvHeads,
            IntermediateSize = config.Model.IntermediateSize,
            MaxPositionEmbeddings = config.Model.MaxPositions,
        }.Validate();
    }

    /// <summary>The starting model: <c>model.init</c> when set, else a new one drawn from <c>model.seed</c>.</summary>
    public static CausalLanguageModel StartingModel(TrainConfig config, bool valueHead = false)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Model.Init is { } init ? CausalLanguageModel.Load(init, device: Device(config), addValueHead: valueHead)
            : new CausalLanguageModel(ModelConfig(config) with { ValueHead = valueHead }, config.Model.Seed, device: Device(config));
    }

    /// <summary>The device the config trains on (<c>device</c>: cpu, cuda or cuda:N); throws when it is not usable here.</summary>
    public static TorchSharp.torch.Device Device(TrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return TorchDevices.Parse(config.Device);
    }

    /// <summary>How the policy acts with <paramref name="temperature"/> (0: greedy, as evaluated).</summary>
    public static PolicyAgentOptions AgentOptions(TrainConfig config, double temperature, int version = 0)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new PolicyAgentOptions
        {
            HistoryTurns = config.Agent.HistoryTurns,
            MaxNewTokens = config.Agent.MaxNewTokens,
            Temperature = temperature,
            ConstrainToAdmissible = config.Agent.Constrained,
            ShowAdmissibleActions = config.Agent.ShowAdmissible,
            SystemPrompt = config.Agent.SystemPrompt,
            MaxBatchSize = config.Concurrency,
            PolicyVersion = version,
        };
    }

    /// <summary>Saves <paramref name="model"/> with its greedy agent options, so that <c>policy:DIR</c> evaluates it.</summary>
    public static string SaveForEvaluation(CausalLanguageModel model, TrainConfig config, string directory, int version = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.Save(directory);
        AgentOptions(config, 0, version).Save(directory);
        return directory;
    }
}
