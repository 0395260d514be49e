using Gym.Core.Registry;
using Gym.Envs.Tools.Calc;

namespace Gym.Envs.Tools;

/// <summary>Registers the tool-use environments.</summary>
public static class ToolEnvironments
{
    /// <summary>Adds tools/calc-v1 and its oracle.</summary>
    public static EnvRegistry AddToolEnvironments(this EnvRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register(new EnvRegistration(CalcEnvironment.EnvSpec, () => new CalcEnvironment(), () => new ToolOracle(CalcDomain.Instance)));
        return registry;
    }
}
