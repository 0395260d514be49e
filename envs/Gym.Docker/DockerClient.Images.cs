using System.Net.Http.Headers;
using System.Text.Json;

namespace Gym.Docker;

public sealed partial class DockerClient
{
    /// <summary>Images, optionally only those with a label (<c>key</c> or <c>key=value</c>).</summary>
    public Task<List<ImageSummary>> ListImagesAsync(string? label = null, CancellationToken cancellationToken = default) =>
        GetAsync<List<ImageSummary>>("images/json?" + Query(("filters", label is null ? null : LabelFilter(label))), "list images", cancellationToken);

    /// <summary>An image's details; <see cref="DockerNotFoundException"/> when there is none by that name.</summary>
    public Task<ImageInspect> InspectImageAsync(string name, CancellationToken cancellationToken = default) =>
        GetAsync<ImageInspect>($"images/{Uri.EscapeDataString(name)}/json", $"inspect image {name}", cancellationToken);

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
        string query = Query(("fromSrc", "-"), ("repo", repository), ("tag", tag));
        foreach (string change in changes ?? [])
            query += "&changes=" + Uri.EscapeDataString(change);
        StreamContent content = new(rootfsTar, 1 << 16);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        using HttpResponseMessage response = await SendAsync(HttpMethod.Post, "images/create?" + query, content, $"import image {repository}:{tag}", cancellationToken).ConfigureAwait(false);
        // The answer is a stream of JSON progress messages; an error arrives as one of them, with status 200.
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string? id = null;
        foreach (string line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            using JsonDocument doc = JsonDocument.Parse(line);
            if (doc.RootElement.TryGetProperty("error", out JsonElement error))
                throw new DockerException(System.Net.HttpStatusCode.InternalServerError, $"import image {repository}:{tag}", error.GetString() ?? line);
            if (doc.RootElement.TryGetProperty("status", out JsonElement status) && status.GetString() is { } s && s.StartsWith("sha256:", StringComparison.Ordinal))
                id = s;
        }
        return id ?? (await InspectImageAsync($"{repository}:{tag}", cancellationToken).ConfigureAwait(false)).Id;
    }

    /// <summary>Removes an image (with <paramref name="force"/>, even when containers use it).</summary>
    public Task RemoveImageAsync(string name, bool force = false, CancellationToken cancellationToken = default) =>
        SendAndDiscardAsync(HttpMethod.Delete, $"images/{Uri.EscapeDataString(name)}?" + Query(("force", force ? "true" : "false")), null, $"remove image {name}", cancellationToken);

    private static string LabelFilter(params string[] labels) => JsonSerializer.Serialize(new Dictionary<string, string[]> { ["label"] = labels });
}
