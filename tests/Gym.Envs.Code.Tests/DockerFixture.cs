using Docker.DotNet.Models;
using Gym.Docker;
using Gym.Envs.Code.Sandbox;
using Gym.Testing;

namespace Gym.Envs.Code.Tests;

/// <summary>
/// The real Docker daemon and the sandbox image, shared by the tests of this assembly (the bootstrap starts the
/// daemon and builds the image; a missing image is built here). After the run, no sandbox container of this
/// process may remain.
/// </summary>
[SetUpFixture]
public sealed class DockerFixture
{
    public static DockerClient Docker { get; private set; } = null!;
    public static ImageRecipe Recipe { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task ConnectAsync()
    {
        Docker = await DockerClient.ConnectAsync();
        Recipe = ImageRecipe.Find(Path.Combine(TestPaths.Root, "sandbox", "images"), "python");
        await new ImageBuilder(Docker).EnsureAsync(Recipe);
    }

    [OneTimeTearDown]
    public async Task NothingIsLeftBehindAsync()
    {
        List<ContainerListResponse> left = [.. (await Docker.ListContainersAsync(DockerSandboxProvider.SandboxLabel))
            .Where(c => c.Labels is { } labels && labels.TryGetValue("gym.owner-pid", out string? owner) && owner == Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        foreach (ContainerListResponse c in left)
            await Docker.RemoveContainerAsync(c.ID);
        Docker.Dispose();
        Assert.That(left, Is.Empty, "every sandbox container made by the tests was removed by its provider");
    }
}
