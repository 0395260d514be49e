namespace Gym.Core.Wrappers;

/// <summary>Adds a (negative) reward to every step whose action was invalid.</summary>
public sealed class InvalidActionPenaltyWrapper(IEnvironment inner, double penalty) : EnvironmentWrapper(inner)
{
    /// <summary>The reward added to an invalid step.</summary>
    public double Penalty { get; } = double.IsFinite(penalty) ? penalty : throw new ArgumentOutOfRangeException(nameof(penalty), "The penalty must be finite.");

    /// <inheritdoc />
    public override ValueTask<StepResult> StepAsync(AgentAction action, CancellationToken cancellationToken = default) =>
        Map(base.StepAsync(action, cancellationToken));

    /// <inheritdoc />
    protected override StepResult OnStep(StepResult result) =>
        result.Info.ActionValid ? result : result with { Reward = result.Reward + Penalty };
}
