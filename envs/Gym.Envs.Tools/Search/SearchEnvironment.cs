using Gym.Core;

namespace Gym.Envs.Tools.Search;

/// <summary>Multi-hop questions answered by searching and reading a local encyclopedia (<see cref="SearchDomain"/>).</summary>
public sealed class SearchEnvironment() : ToolEnvironment(EnvSpec, SearchDomain.Instance)
{
    /// <summary>The registered id.</summary>
    public const string Id = "tools/search-v1";

    /// <summary>The environment's description.</summary>
    public static readonly EnvSpec EnvSpec = new()
    {
        Id = Id,
        Family = "tools",
        Description = "Multi-hop questions over a local encyclopedia: BM25 search and article reading as tools.",
        ActionSyntax = ToolCallParser.Syntax,
        MaxSteps = 12,
    };
}
