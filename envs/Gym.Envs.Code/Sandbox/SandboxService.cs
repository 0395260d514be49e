using Gym.Docker;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;

namespace Gym.Envs.Code.Sandbox;

/// <summary>
/// The sandbox provider of a process, started on first use: Docker with the built image when a daemon answers,
/// otherwise (or when <c>GYM_SANDBOX=process</c>) the weaker process provider; <c>GYM_SANDBOX=docker</c> makes a
/// missing daemon an error instead of a fallback. What the sandboxes recover from goes to <paramref name="logger"/>.
/// </summary>
public sealed class SandboxService(string recipesDirectory, string? mode = null, SandboxLimits? limits = null, ILogger? logger = null) : IAsyncDisposable
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ISandboxProvider? _provider;
    private DockerClient? _docker;

    /// <summary>"auto", "docker" or "process" (from <c>GYM_SANDBOX</c> when not given).</summary>
    public string Mode { get; } = (mode ?? Environment.GetEnvironmentVariable("GYM_SANDBOX") ?? "auto").ToLowerInvariant() switch
    {
        "auto" or "" => "auto",
        "docker" => "docker",
        "process" => "process",
        string other => throw new ArgumentException($"GYM_SANDBOX must be auto, docker or process (got '{other}')."),
    };

    /// <summary>The started provider's description (how isolated the code ran), or null when none was started.</summary>
    public string? Description => _provider?.Description;

    /// <summary>The provider, started on the first call.</summary>
    public async Task<ISandboxProvider> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_provider is not null)
            return _provider;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _provider ??= await StartAsync(cancellationToken).ConfigureAwait(false);
            return _provider;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ISandboxProvider> StartAsync(CancellationToken cancellationToken)
    {
        if (Mode == "process")
            return new ProcessSandboxProvider(limits);
        try
        {
            _docker = await DockerClient.ConnectAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (DockerUnavailableException e) when (Mode == "auto")
        {
            _logger.ProcessFallback(e);
            return new ProcessSandboxProvider(limits);
        }
        ImageRecipe recipe = ImageRecipe.Find(recipesDirectory, "python");
        if (!await _docker.ImageExistsAsync(recipe.Tag, cancellationToken).ConfigureAwait(false))
            throw new InvalidOperationException($"The sandbox image {recipe.Tag} is not built: run `./gym sandbox build` (or scripts/bootstrap).");
        return await DockerSandboxProvider.StartAsync(_docker, recipe.Tag, recipe.User.Uid, limits, poolSize: Math.Max(2, Environment.ProcessorCount), logger: _logger,
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes every sandbox the provider made.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_provider is not null)
            await _provider.DisposeAsync().ConfigureAwait(false);
        _docker?.Dispose();
        _gate.Dispose();
    }
}
