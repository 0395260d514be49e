using Docker.DotNet.Models;

namespace Gym.Docker;

public sealed partial class DockerClient
{
    /// <summary>Extracts a tar archive into a directory of the container.</summary>
    public Task PutArchiveAsync(string containerId, string directory, Stream tar, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tar);
        return CallAsync($"put archive into {Short(containerId)}:{directory}",
            () => Api.Containers.ExtractArchiveToContainerAsync(containerId, new CopyToContainerParameters { Path = directory }, tar, cancellationToken));
    }

    /// <summary>A tar archive of a file or directory of the container, read whole.</summary>
    public async Task<byte[]> GetArchiveAsync(string containerId, string path, CancellationToken cancellationToken = default)
    {
        string operation = $"get archive of {Short(containerId)}:{path}";
        ContainerArchiveResponse archive = await CallAsync(operation,
            () => Api.Containers.GetArchiveFromContainerAsync(containerId, new ContainerPathStatParameters { Path = path }, false, cancellationToken)).ConfigureAwait(false);
        Stream tar = archive.Stream ?? throw new DockerException(System.Net.HttpStatusCode.InternalServerError, operation, "the daemon sent no archive");
        await using (tar.ConfigureAwait(false))
        {
            using MemoryStream bytes = new();
            await CallAsync(operation, () => tar.CopyToAsync(bytes, cancellationToken)).ConfigureAwait(false);
            return bytes.ToArray();
        }
    }
}
