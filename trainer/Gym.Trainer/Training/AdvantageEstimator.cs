using System.Text.Json.Serialization;

namespace Gym.Trainer.Training;

/// <summary>How advantages are estimated (the config's <c>estimator</c>); <see cref="AdvantageEstimation"/> dispatches on it.</summary>
public enum AdvantageEstimator
{
    /// <summary>GiGPO: group-normalised episode advantages plus anchor-state step advantages.</summary>
    [JsonStringEnumMemberName("gigpo")] GiGpo,
    /// <summary>GRPO: group mean and standard deviation of episode rewards.</summary>
    [JsonStringEnumMemberName("grpo")] Grpo,
    /// <summary>Dr.GRPO: group mean only.</summary>
    [JsonStringEnumMemberName("drgrpo")] DrGrpo,
    /// <summary>RLOO: leave-one-out baseline.</summary>
    [JsonStringEnumMemberName("rloo")] Rloo,
    /// <summary>REINFORCE++: batch-whitened returns with a group baseline.</summary>
    [JsonStringEnumMemberName("reinforce++")] ReinforcePlusPlus,
    /// <summary>GRPO plus whitened discounted returns per step.</summary>
    [JsonStringEnumMemberName("discounted")] Discounted,
    /// <summary>Turn-level GAE from a value head.</summary>
    [JsonStringEnumMemberName("gae")] Gae,
    /// <summary>GRPO plus implicit step rewards from a process reward model trained alongside (OPRL).</summary>
    [JsonStringEnumMemberName("oprl")] Oprl,
}
