using System.CommandLine;
using Gym.Docker;
using Gym.Envs.Code.Sandbox;

namespace Gym.Cli.Commands;

/// <summary><c>gym sandbox build|sweep</c>: the code sandboxes' images and leftovers.</summary>
internal static class SandboxCommand
{
    /// <summary>Where the image recipes live.</summary>
    public static string RecipesDirectory => Path.Combine(GymHome.Root, "sandbox", "images");

    public static Command Create()
    {
        Option<string> recipeOption = new("--recipe") { Description = "The recipe under sandbox/images/ (default python).", DefaultValueFactory = _ => "python" };
        Option<bool> forceOption = new("--force") { Description = "Rebuild even when the image exists." };
        Command build = new("build", "Build a sandbox image from its recipe (debootstrap + docker import; needs root).") { recipeOption, forceOption };
        build.SetAction(async (parse, cancellationToken) =>
        {
            ImageRecipe recipe = ImageRecipe.Find(RecipesDirectory, parse.GetValue(recipeOption)!);
            using DockerClient docker = await DockerClient.ConnectAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            string tag = await new ImageBuilder(docker, m => Console.WriteLine($"sandbox: {m}")).EnsureAsync(recipe, parse.GetValue(forceOption), cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"image: {tag}");
            return 0;
        });
        Command sweep = new("sweep", "Remove sandbox containers left by runs that are no longer alive.");
        sweep.SetAction(async (parse, cancellationToken) =>
        {
            using DockerClient docker = await DockerClient.ConnectAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"removed {await DockerSandboxProvider.SweepOrphansAsync(docker, cancellationToken: cancellationToken).ConfigureAwait(false)} orphaned sandbox containers");
            return 0;
        });
        return new Command("sandbox", "Code sandboxes: build images, sweep leftovers.") { build, sweep };
    }
}
