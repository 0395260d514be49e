using Gym.Core.Registry;
using Gym.Envs.Text.FrozenLake;
using Gym.Envs.Text.Household;
using Gym.Envs.Text.Sokoban;

namespace Gym.Envs.Text;

/// <summary>Registers the text environments and their oracles.</summary>
public static class TextEnvironments
{
    /// <summary>Adds text/sokoban-v1, text/frozenlake-v1 and text/household-v1 to <paramref name="registry"/>.</summary>
    public static EnvRegistry AddTextEnvironments(this EnvRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register(new EnvRegistration(SokobanEnvironment.EnvSpec, () => new SokobanEnvironment(), () => new SokobanOracle()));
        registry.Register(new EnvRegistration(FrozenLakeEnvironment.EnvSpec, () => new FrozenLakeEnvironment(), () => new FrozenLakeOracle()));
        registry.Register(new EnvRegistration(HouseholdEnvironment.EnvSpec, () => new HouseholdEnvironment(), () => new HouseholdOracle()));
        return registry;
    }
}
