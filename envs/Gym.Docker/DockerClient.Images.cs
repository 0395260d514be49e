using Docker.DotNet.Models;

namespace Gym.Docker;

public sealed partial class DockerClient
{
    /// <summary>Images, optionally only those with a label (<c>key</c> or <c>key=value</c>).</summary>
    public async Task<IList<ImagesListResponse>> ListImagesAsync(string? label = null, CancellationToken cancellationToken = default) =>
        await CallAsync("list images", () => Api.Images.ListImagesAsync(new ImagesListParameters { Filters = LabelFilter(label) }, cancellationToken)).ConfigureAwait(false);

    /// <summary>An image's details; <see cref="DockerNotFoundException"/> when there is none by that name.</summary>
    public Task<ImageInspectResponse> InspectImageAsync(string name, CancellationToken cancellationToken = default) =>
        CallAsync($"inspect image {name}", () => Api.Images.InspectImageAsync(name, cancellationToken));

    /// <summary>Whether an image of that name exists.</summary>
    public async Task<bool> ImageExistsAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            await InspectImageAsync(name, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DockerNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// Creates an image from a tar of a root file system (<c>docker import</c>), tagged
    /// <paramref name="repository"/>:<paramref name="tag"/>, with <paramref name="changes"/> applied (Dockerfile
    /// instructions such as <c>LABEL a=b</c> or <c>ENV A=b</c>). Returns the image id.
    /// </summary>
    public async Task<string> ImportImageAsync(Stream rootfsTar, string repository, string tag, IEnumerable<string>? changes = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rootfsTar);
        string operation = $"import image {repository}:{tag}";
        ImagesCreateParameters parameters = new() { FromSrc = "-", Repo = repository, Tag = tag, Changes = [.. changes ?? []] };
        // The daemon answers 200 and then reports a failure as one of its progress messages.
        string? error = null;
        Progress<JSONMessage> progress = new(m => error ??= m.Error?.Message);
        await CallAsync(operation, () => Api.Images.CreateImageAsync(parameters, rootfsTar, null, progress, cancellationToken)).ConfigureAwait(false);
        if (error is not null)
            throw new DockerException(System.Net.HttpStatusCode.InternalServerError, operation, error);
        return (await InspectImageAsync($"{repository}:{tag}", cancellationToken).ConfigureAwait(false)).ID;
    }

    /// <summary>Removes an image (with <paramref name="force"/>, even when containers use it).</summary>
    public Task RemoveImageAsync(string name, bool force = false, CancellationToken cancellationToken = default) =>
        CallAsync($"remove image {name}", () => Api.Images.DeleteImageAsync(name, new ImageDeleteParameters { Force = force }, cancellationToken));
}
