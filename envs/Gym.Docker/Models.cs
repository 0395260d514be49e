using System.Text.Json.Serialization;

namespace Gym.Docker;

/// <summary>The daemon's version (<c>GET /version</c>).</summary>
public sealed record DockerVersion
{
    /// <summary>Engine version.</summary>
    public string Version { get; init; } = "";
    /// <summary>Newest API version the daemon speaks.</summary>
    public string ApiVersion { get; init; } = "";
    /// <summary>Oldest API version the daemon speaks.</summary>
    [JsonPropertyName("MinAPIVersion")] public string MinApiVersion { get; init; } = "";
    /// <summary>Operating system.</summary>
    public string Os { get; init; } = "";
    /// <summary>Architecture.</summary>
    public string Arch { get; init; } = "";
    /// <summary>Kernel version.</summary>
    public string KernelVersion { get; init; } = "";
}

/// <summary>An image in a listing (<c>GET /images/json</c>).</summary>
public sealed record ImageSummary
{
    /// <summary>The image id (sha256:...).</summary>
    public string Id { get; init; } = "";
    /// <summary>repository:tag names.</summary>
    public IReadOnlyList<string>? RepoTags { get; init; }
    /// <summary>Size in bytes.</summary>
    public long Size { get; init; }
    /// <summary>Creation time (Unix seconds).</summary>
    public long Created { get; init; }
    /// <summary>Labels.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}

/// <summary>An image's details (<c>GET /images/{name}/json</c>).</summary>
public sealed record ImageInspect
{
    /// <summary>The image id.</summary>
    public string Id { get; init; } = "";
    /// <summary>repository:tag names.</summary>
    public IReadOnlyList<string>? RepoTags { get; init; }
    /// <summary>Size in bytes.</summary>
    public long Size { get; init; }
    /// <summary>Creation time (RFC 3339).</summary>
    public string Created { get; init; } = "";
    /// <summary>Architecture.</summary>
    public string Architecture { get; init; } = "";
}

/// <summary>A resource limit applied with setrlimit in the container.</summary>
/// <param name="Name">The limit (fsize, nofile, nproc, core...).</param>
/// <param name="Soft">Soft limit.</param>
/// <param name="Hard">Hard limit.</param>
public sealed record Ulimit(string Name, long Soft, long Hard);

/// <summary>How a container is hosted: limits, mounts, isolation (the Engine's <c>HostConfig</c>).</summary>
public sealed record HostConfig
{
    /// <summary>Memory limit in bytes (0: none).</summary>
    public long Memory { get; init; }
    /// <summary>Memory plus swap in bytes; equal to <see cref="Memory"/> forbids swap.</summary>
    public long MemorySwap { get; init; }
    /// <summary>CPU quota in 1e-9 CPUs.</summary>
    public long NanoCpus { get; init; }
    /// <summary>Maximum number of processes (null: none).</summary>
    public long? PidsLimit { get; init; }
    /// <summary>Mount the root file system read-only.</summary>
    public bool ReadonlyRootfs { get; init; }
    /// <summary>tmpfs mounts: path to mount options (e.g. "rw,size=64m,uid=1000").</summary>
    public IReadOnlyDictionary<string, string>? Tmpfs { get; init; }
    /// <summary>Capabilities to drop ("ALL").</summary>
    public IReadOnlyList<string>? CapDrop { get; init; }
    /// <summary>Capabilities to add.</summary>
    public IReadOnlyList<string>? CapAdd { get; init; }
    /// <summary>Security options ("no-new-privileges").</summary>
    public IReadOnlyList<string>? SecurityOpt { get; init; }
    /// <summary>"none", "bridge", "host"...</summary>
    public string? NetworkMode { get; init; }
    /// <summary>Resource limits.</summary>
    public IReadOnlyList<Ulimit>? Ulimits { get; init; }
    /// <summary>Bind mounts ("host:container[:ro]").</summary>
    public IReadOnlyList<string>? Binds { get; init; }
    /// <summary>Run an init process (docker-init) as PID 1 that reaps zombies.</summary>
    public bool? Init { get; init; }
    /// <summary>Remove the container when it exits.</summary>
    public bool AutoRemove { get; init; }
}

/// <summary>What to create (<c>POST /containers/create</c>).</summary>
public sealed record ContainerSpec
{
    /// <summary>The image.</summary>
    public required string Image { get; init; }
    /// <summary>The command.</summary>
    public IReadOnlyList<string>? Cmd { get; init; }
    /// <summary>The entry point.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }
    /// <summary>The user ("1000:1000"); empty: the image's.</summary>
    public string? User { get; init; }
    /// <summary>The working directory.</summary>
    public string? WorkingDir { get; init; }
    /// <summary>Environment ("NAME=value").</summary>
    public IReadOnlyList<string>? Env { get; init; }
    /// <summary>Labels.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
    /// <summary>Disable networking entirely.</summary>
    public bool NetworkDisabled { get; init; }
    /// <summary>Seconds to wait before killing on stop.</summary>
    public int? StopTimeout { get; init; }
    /// <summary>Host settings.</summary>
    public HostConfig? HostConfig { get; init; }
}

/// <summary>A container's run state.</summary>
public sealed record ContainerState
{
    /// <summary>created, running, paused, restarting, removing, exited or dead.</summary>
    public string Status { get; init; } = "";
    /// <summary>Whether it runs.</summary>
    public bool Running { get; init; }
    /// <summary>Whether the kernel's OOM killer stopped it.</summary>
    [JsonPropertyName("OOMKilled")] public bool OomKilled { get; init; }
    /// <summary>Its main process id on the host.</summary>
    public int Pid { get; init; }
    /// <summary>Exit code of the main process.</summary>
    public int ExitCode { get; init; }
    /// <summary>The daemon's error, if any.</summary>
    public string Error { get; init; } = "";
}

/// <summary>A container's details (<c>GET /containers/{id}/json</c>).</summary>
public sealed record ContainerInspect
{
    /// <summary>The id.</summary>
    public string Id { get; init; } = "";
    /// <summary>The name ("/name").</summary>
    public string Name { get; init; } = "";
    /// <summary>The image id.</summary>
    public string Image { get; init; } = "";
    /// <summary>The run state.</summary>
    public ContainerState State { get; init; } = new();
    /// <summary>The host settings it runs with.</summary>
    public HostConfig? HostConfig { get; init; }
}

/// <summary>A container in a listing (<c>GET /containers/json</c>).</summary>
public sealed record ContainerSummary
{
    /// <summary>The id.</summary>
    public string Id { get; init; } = "";
    /// <summary>Names ("/name").</summary>
    public IReadOnlyList<string> Names { get; init; } = [];
    /// <summary>The image.</summary>
    public string Image { get; init; } = "";
    /// <summary>created, running, exited...</summary>
    public string State { get; init; } = "";
    /// <summary>Labels.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}

/// <summary>What to run in a container (<c>POST /containers/{id}/exec</c>).</summary>
public sealed record ExecSpec
{
    /// <summary>The command.</summary>
    public required IReadOnlyList<string> Cmd { get; init; }
    /// <summary>The user; empty: the container's.</summary>
    public string? User { get; init; }
    /// <summary>The working directory.</summary>
    public string? WorkingDir { get; init; }
    /// <summary>Environment ("NAME=value").</summary>
    public IReadOnlyList<string>? Env { get; init; }
    /// <summary>Attach standard input.</summary>
    public bool AttachStdin { get; init; }
    /// <summary>Attach standard output.</summary>
    public bool AttachStdout { get; init; } = true;
    /// <summary>Attach standard error.</summary>
    public bool AttachStderr { get; init; } = true;
    /// <summary>Allocate a terminal (never, for demultiplexed output).</summary>
    public bool Tty { get; init; }
}

/// <summary>An exec instance's state (<c>GET /exec/{id}/json</c>).</summary>
public sealed record ExecInspect
{
    /// <summary>The exec id.</summary>
    [JsonPropertyName("ID")] public string Id { get; init; } = "";
    /// <summary>Whether it still runs.</summary>
    public bool Running { get; init; }
    /// <summary>Its exit code once finished.</summary>
    public int? ExitCode { get; init; }
    /// <summary>Its process id on the host.</summary>
    public int Pid { get; init; }
    /// <summary>The container.</summary>
    [JsonPropertyName("ContainerID")] public string ContainerId { get; init; } = "";
}

/// <summary>How a waited-for container ended (<c>POST /containers/{id}/wait</c>).</summary>
public sealed record ContainerWaitResult
{
    /// <summary>Exit code of its main process.</summary>
    public long StatusCode { get; init; }
}
