using System.Diagnostics;
using Gym.Docker;

namespace Gym.Envs.Code.Sandbox;

/// <summary>
/// Builds a sandbox image from its recipe without a registry: debootstrap makes the root file system, the
/// recipe's user, work directory and set-up commands are applied, and the tree is streamed as a tar into the
/// daemon's image import. Needs root (debootstrap) and Debian's package mirror.
/// </summary>
public sealed class ImageBuilder(DockerClient docker, Action<string>? log = null)
{
    /// <summary>The Debian mirror (<c>GYM_DEBIAN_MIRROR</c>, default deb.debian.org).</summary>
    public static string Mirror => Environment.GetEnvironmentVariable("GYM_DEBIAN_MIRROR") is { Length: > 0 } m ? m : "http://deb.debian.org/debian";

    /// <summary>Builds the image unless one with the recipe's tag exists (or <paramref name="force"/>); returns the tag.</summary>
    public async Task<string> EnsureAsync(ImageRecipe recipe, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        if (!force && await docker.ImageExistsAsync(recipe.Tag, cancellationToken).ConfigureAwait(false))
        {
            log?.Invoke($"{recipe.Tag} is present");
            return recipe.Tag;
        }
        if (Environment.UserName != "root")
            throw new InvalidOperationException($"Building the sandbox image {recipe.Tag} needs root (debootstrap); run `sudo ./gym sandbox build`.");
        string rootfs = Path.Combine(Path.GetTempPath(), $"gym-rootfs-{recipe.Name}-{Environment.ProcessId}");
        try
        {
            Stopwatch clock = Stopwatch.StartNew();
            log?.Invoke($"debootstrap {recipe.Suite} ({recipe.Variant}, with {string.Join(", ", recipe.Include)}) from {Mirror}");
            List<string> args = [$"--variant={recipe.Variant}"];
            if (recipe.Include.Count > 0)
                args.Add("--include=" + string.Join(",", recipe.Include));
            args.AddRange([recipe.Suite, rootfs, Mirror]);
            await RunAsync("debootstrap", args, cancellationToken).ConfigureAwait(false);
            AddUser(rootfs, recipe);
            foreach (string command in recipe.Setup)
                await RunAsync("chroot", [rootfs, "/bin/sh", "-c", command], cancellationToken).ConfigureAwait(false);
            log?.Invoke($"importing {recipe.Tag}");
            string id = await ImportAsync(rootfs, recipe, cancellationToken).ConfigureAwait(false);
            log?.Invoke($"built {recipe.Tag} ({id[..Math.Min(19, id.Length)]}) in {clock.Elapsed.TotalSeconds:0} s");
            return recipe.Tag;
        }
        finally
        {
            if (Directory.Exists(rootfs))
                await RunAsync("rm", ["-rf", "--one-file-system", rootfs], CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static void AddUser(string rootfs, ImageRecipe recipe)
    {
        (string name, int uid) = (recipe.User.Name, recipe.User.Uid);
        File.AppendAllText(Path.Combine(rootfs, "etc/passwd"), $"{name}:x:{uid}:{uid}::{recipe.Workdir}:/bin/sh\n");
        File.AppendAllText(Path.Combine(rootfs, "etc/group"), $"{name}:x:{uid}:\n");
        Directory.CreateDirectory(Path.Combine(rootfs, recipe.Workdir.TrimStart('/')));
    }

    private async Task<string> ImportAsync(string rootfs, ImageRecipe recipe, CancellationToken cancellationToken)
    {
        ProcessStartInfo start = new("tar") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "--numeric-owner", "--xattrs", "-C", rootfs, "-cf", "-", "." })
            start.ArgumentList.Add(a);
        using Process tar = Process.Start(start) ?? throw new InvalidOperationException("Could not start tar.");
        Task<string> errors = tar.StandardError.ReadToEndAsync(cancellationToken);
        List<string> changes = [.. recipe.Env.Select(e => $"ENV {e}"), $"WORKDIR {recipe.Workdir}",
            $"LABEL gym.image={recipe.Name} gym.recipe-hash={recipe.Hash} gym.sandbox-uid={recipe.User.Uid}"];
        string id;
        try
        {
            id = await docker.ImportImageAsync(tar.StandardOutput.BaseStream, recipe.Name, $"{recipe.Version}-{recipe.Hash}", changes, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await tar.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        if (tar.ExitCode != 0)
            throw new InvalidOperationException($"tar of {rootfs} failed ({tar.ExitCode}): {await errors.ConfigureAwait(false)}");
        return id;
    }

    private async Task RunAsync(string file, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        ProcessStartInfo start = new(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
            start.ArgumentList.Add(a);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        Task<string> output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        if (process.ExitCode != 0)
        {
            string tail = string.Join("\n", ((await output.ConfigureAwait(false)) + (await error.ConfigureAwait(false))).Split('\n').TakeLast(15));
            throw new InvalidOperationException($"{file} {string.Join(' ', start.ArgumentList)} failed with exit code {process.ExitCode}:\n{tail}");
        }
        log?.Invoke($"{file}: done");
    }
}
