using System.Globalization;

namespace Gym.Docker;

public sealed partial class DockerClient
{
    private sealed record CreateResponse(string Id, IReadOnlyList<string>? Warnings);

    /// <summary>Creates a container; returns its id.</summary>
    public async Task<string> CreateContainerAsync(ContainerSpec spec, string? name = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        CreateResponse created = await PostJsonAsync<CreateResponse>("containers/create?" + Query(("name", name)), spec, $"create container from {spec.Image}", cancellationToken).ConfigureAwait(false);
        return created.Id;
    }

    /// <summary>Starts a created container.</summary>
    public Task StartContainerAsync(string id, CancellationToken cancellationToken = default) =>
        SendAndDiscardAsync(HttpMethod.Post, $"containers/{id}/start", null, $"start container {Short(id)}", cancellationToken);

    /// <summary>A container's details.</summary>
    public Task<ContainerInspect> InspectContainerAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync<ContainerInspect>($"containers/{id}/json", $"inspect container {Short(id)}", cancellationToken);

    /// <summary>Waits until the container stops; returns its exit code.</summary>
    public async Task<long> WaitContainerAsync(string id, CancellationToken cancellationToken = default) =>
        (await PostJsonAsync<ContainerWaitResult>($"containers/{id}/wait", null, $"wait for container {Short(id)}", cancellationToken).ConfigureAwait(false)).StatusCode;

    /// <summary>Sends a signal (default SIGKILL) to the container's main process.</summary>
    public Task KillContainerAsync(string id, string signal = "SIGKILL", CancellationToken cancellationToken = default) =>
        SendAndDiscardAsync(HttpMethod.Post, $"containers/{id}/kill?" + Query(("signal", signal)), null, $"kill container {Short(id)}", cancellationToken);

    /// <summary>Removes a container (with <paramref name="force"/>, killing it first) and its anonymous volumes.</summary>
    public Task RemoveContainerAsync(string id, bool force = true, CancellationToken cancellationToken = default) =>
        SendAndDiscardAsync(HttpMethod.Delete, $"containers/{id}?" + Query(("force", force ? "true" : "false"), ("v", "true")), null, $"remove container {Short(id)}", cancellationToken);

    /// <summary>Containers (running and stopped), optionally only those with a label (<c>key</c> or <c>key=value</c>).</summary>
    public Task<List<ContainerSummary>> ListContainersAsync(string? label = null, CancellationToken cancellationToken = default) =>
        GetAsync<List<ContainerSummary>>("containers/json?" + Query(("all", "true"), ("filters", label is null ? null : LabelFilter(label))), "list containers", cancellationToken);

    /// <summary>The container's main-process output so far, demultiplexed and capped at <paramref name="limit"/> bytes per stream.</summary>
    public async Task<(CappedOutput Stdout, CappedOutput Stderr)> ContainerLogsAsync(string id, int limit = 1 << 20, CancellationToken cancellationToken = default)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, $"containers/{id}/logs?" + Query(("stdout", "true"), ("stderr", "true")), null,
            $"logs of container {Short(id)}", cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        CappedOutput stdout = new(limit), stderr = new(limit);
        Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
            await MultiplexedStream.CopyAsync(stream, stdout, stderr, cancellationToken).ConfigureAwait(false);
        return (stdout, stderr);
    }

    internal static string Short(string id) => id.Length > 12 ? id[..12] : id;

    internal static string Seconds(TimeSpan t) => ((int)Math.Ceiling(t.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
