using Gym.Core.Registry;
using Gym.Envs.Tools.Calc;
using Gym.Envs.Tools.Retail;
using Gym.Envs.Tools.Search;

namespace Gym.Envs.Tools;

/// <summary>Registers the tool-use environments.</summary>
public static class ToolEnvironments
{
    /// <summary>Adds tools/calc-v1, tools/search-v1 and tools/retail-v1 with their oracles.</summary>
    public static EnvRegistry AddToolEnvironments(this EnvRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register(new EnvRegistration(CalcEnvironment.EnvSpec, () => new CalcEnvironment(), () => new ToolOracle(CalcDomain.Instance)));
        registry.Register(new EnvRegistration(SearchEnvironment.EnvSpec, () => new SearchEnvironment(), () => new ToolOracle(SearchDomain.Instance)));
        registry.Register(new EnvRegistration(RetailEnvironment.EnvSpec, () => new RetailEnvironment(), () => new ToolOracle(RetailDomain.Instance)));
        return registry;
    }
}
