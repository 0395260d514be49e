using Docker.DotNet.Models;
using MultiplexedStream = Docker.DotNet.MultiplexedStream;

namespace Gym.Docker;

public sealed partial class DockerClient
{
    /// <summary>Creates a container (named when <see cref="CreateContainerParameters.Name"/> is set); returns its id.</summary>
    public async Task<string> CreateContainerAsync(CreateContainerParameters spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        CreateContainerResponse created = await CallAsync($"create container from {spec.Image}", () => Api.Containers.CreateContainerAsync(spec, cancellationToken)).ConfigureAwait(false);
        return created.ID;
    }

    /// <summary>Starts a created container.</summary>
    public Task StartContainerAsync(string id, CancellationToken cancellationToken = default) =>
        CallAsync($"start container {Short(id)}", () => Api.Containers.StartContainerAsync(id, new ContainerStartParameters(), cancellationToken));

    /// <summary>A container's details.</summary>
    public Task<ContainerInspectResponse> InspectContainerAsync(string id, CancellationToken cancellationToken = default) =>
        CallAsync($"inspect container {Short(id)}", () => Api.Containers.InspectContainerAsync(id, cancellationToken));

    /// <summary>Waits until the container stops; returns its exit code.</summary>
    public async Task<long> WaitContainerAsync(string id, CancellationToken cancellationToken = default) =>
        (await CallAsync($"wait for container {Short(id)}", () => Api.Containers.WaitContainerAsync(id, cancellationToken)).ConfigureAwait(false)).StatusCode;

    /// <summary>Sends a signal (default SIGKILL) to the container's main process.</summary>
    public Task KillContainerAsync(string id, string signal = "SIGKILL", CancellationToken cancellationToken = default) =>
        CallAsync($"kill container {Short(id)}", () => Api.Containers.KillContainerAsync(id, new ContainerKillParameters { Signal = signal }, cancellationToken));

    /// <summary>Removes a container (with <paramref name="force"/>, killing it first) and its anonymous volumes.</summary>
    public Task RemoveContainerAsync(string id, bool force = true, CancellationToken cancellationToken = default) =>
        CallAsync($"remove container {Short(id)}", () => Api.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = force, RemoveVolumes = true }, cancellationToken));

    /// <summary>Containers (running and stopped), optionally only those with a label (<c>key</c> or <c>key=value</c>).</summary>
    public async Task<IList<ContainerListResponse>> ListContainersAsync(string? label = null, CancellationToken cancellationToken = default) =>
        await CallAsync("list containers", () => Api.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = LabelFilter(label) }, cancellationToken)).ConfigureAwait(false);

    /// <summary>The container's main-process output so far, demultiplexed and capped at <paramref name="limit"/> bytes per stream.</summary>
    public async Task<(CappedOutput Stdout, CappedOutput Stderr)> ContainerLogsAsync(string id, int limit = 1 << 20, CancellationToken cancellationToken = default)
    {
        string operation = $"logs of container {Short(id)}";
        using MultiplexedStream stream = await CallAsync(operation,
            () => Api.Containers.GetContainerLogsAsync(id, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true }, cancellationToken)).ConfigureAwait(false);
        CappedOutput stdout = new(limit), stderr = new(limit);
        await CallAsync(operation, () => CopyOutputAsync(stream, stdout, stderr, cancellationToken)).ConfigureAwait(false);
        return (stdout, stderr);
    }
}
