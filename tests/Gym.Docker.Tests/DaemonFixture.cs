using Gym.Docker;
using Gym.Envs.Code.Sandbox;
using Gym.Testing;

namespace Gym.Docker.Tests;

/// <summary>The real Docker daemon (the bootstrap starts it), and an image to run containers of: the sandbox's.</summary>
[SetUpFixture]
public sealed class DaemonFixture
{
    public static DockerClient Docker { get; private set; } = null!;

    /// <summary>The tag of an image with a POSIX shell.</summary>
    public static string ImageTag { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task ConnectAsync()
    {
        Docker = await DockerClient.ConnectAsync();
        ImageRecipe recipe = ImageRecipe.Find(Path.Combine(TestPaths.Root, "sandbox", "images"), "python");
        await new ImageBuilder(Docker).EnsureAsync(recipe);
        ImageTag = recipe.Tag;
    }

    [OneTimeTearDown]
    public void Disconnect() => Docker.Dispose();
}
