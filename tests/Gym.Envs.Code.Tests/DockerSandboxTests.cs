using Gym.Core.Registry;
using Gym.Envs.Code.Sandbox;
using Gym.Testing;

namespace Gym.Envs.Code.Tests;

/// <summary>A fixture whose tests run the code environment on real Docker sandboxes: one sandbox service per fixture, its containers removed after it.</summary>
public abstract class DockerSandboxTests
{
    /// <summary>The fixture's sandboxes (Docker only: no fallback to the process sandbox).</summary>
    protected SandboxService Sandboxes { get; private set; } = null!;

    /// <summary>A registry with the code environments on <see cref="Sandboxes"/>.</summary>
    protected EnvRegistry Registry { get; private set; } = null!;

    [OneTimeSetUp]
    public void StartSandboxes()
    {
        Sandboxes = new SandboxService(Path.Combine(TestPaths.Root, "sandbox", "images"), "docker");
        Registry = new EnvRegistry().AddCodeEnvironments(Sandboxes);
    }

    [OneTimeTearDown]
    public async Task RemoveSandboxesAsync() => await Sandboxes.DisposeAsync();
}
