using Gym.Core;

namespace Gym.Envs.Tools.Retail;

/// <summary>
/// Customer service over a shop's SQLite database under a written policy (<see cref="RetailDomain"/>). The customer
/// is scripted unless the task's config (<see cref="RetailConfig"/>) names a model to play it.
/// </summary>
public sealed class RetailEnvironment() : ToolEnvironment(EnvSpec, RetailDomain.Instance)
{
    /// <summary>The registered id.</summary>
    public const string Id = "tools/retail-v1";

    /// <summary>The environment's description.</summary>
    public static readonly EnvSpec EnvSpec = new()
    {
        Id = Id,
        Family = "tools",
        Description = "Customer service in the spirit of tau-bench: a shop's SQLite database, a policy, a scripted or model-played customer; judged on the final database.",
        ActionSyntax = ToolCallParser.Syntax,
        MaxSteps = 12,
    };

    /// <inheritdoc />
    protected override IToolEpisode StartEpisode(TaskSpec task, long seed) =>
        ModelCustomerOptions.Read(task.Id, task.ConfigAs<RetailConfig>().Customer) is { } model
            ? RetailDomain.Instance.Start(seed, brief => new ModelCustomer(model, brief, seed))
            : RetailDomain.Instance.Start(seed);
}
