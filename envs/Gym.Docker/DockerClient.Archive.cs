using System.Net.Http.Headers;

namespace Gym.Docker;

public sealed partial class DockerClient
{
    /// <summary>Extracts a tar archive into a directory of the container (<c>PUT /containers/{id}/archive</c>).</summary>
    public Task PutArchiveAsync(string containerId, string directory, Stream tar, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tar);
        StreamContent content = new(tar);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        return SendAndDiscardAsync(HttpMethod.Put, $"containers/{containerId}/archive?" + Query(("path", directory)), content, $"put archive into {Short(containerId)}:{directory}", cancellationToken);
    }

    /// <summary>A tar archive of a file or directory of the container (<c>GET /containers/{id}/archive</c>), read whole.</summary>
    public async Task<byte[]> GetArchiveAsync(string containerId, string path, CancellationToken cancellationToken = default)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, $"containers/{containerId}/archive?" + Query(("path", path)), null,
            $"get archive of {Short(containerId)}:{path}", cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }
}
