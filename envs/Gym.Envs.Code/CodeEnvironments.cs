using Gym.Core.Registry;
using Gym.Envs.Code.Sandbox;

namespace Gym.Envs.Code;

/// <summary>Registers the code environments.</summary>
public static class CodeEnvironments
{
    /// <summary>Adds code/python-v1, whose episodes take sandboxes from <paramref name="sandboxes"/>.</summary>
    public static EnvRegistry AddCodeEnvironments(this EnvRegistry registry, SandboxService sandboxes)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register(new EnvRegistration(CodeEnvironment.EnvSpec, () => new CodeEnvironment(sandboxes), () => new CodeOracle()));
        return registry;
    }
}
