using Gym.Core;

namespace Gym.Envs.Tools.Retail;

/// <summary>Customer service over a shop's SQLite database under a written policy (<see cref="RetailDomain"/>).</summary>
public sealed class RetailEnvironment() : ToolEnvironment(EnvSpec, RetailDomain.Instance)
{
    /// <summary>The registered id.</summary>
    public const string Id = "tools/retail-v1";

    /// <summary>The environment's description.</summary>
    public static readonly EnvSpec EnvSpec = new()
    {
        Id = Id,
        Family = "tools",
        Description = "Customer service in the spirit of tau-bench: a shop's SQLite database, a policy, a scripted customer; judged on the final database.",
        ActionSyntax = ToolCallParser.Syntax,
        MaxSteps = 12,
    };
}
